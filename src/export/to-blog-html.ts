import type { BlogBlock, BlogPost } from './blog-post.ts';
import { escapeHtml } from './escape-html.ts';

/** A list item's blocks: a lone paragraph (with nested lists after it) is written inline, as a tight Markdown list is. */
function item(blocks: BlogBlock[]): string {
  const [first, ...rest] = blocks;
  if (first?.kind === 'paragraph' && rest.every((b) => b.kind === 'list')) return first.html + rest.map(toBlogBlockHtml).join('');
  return blocks.map(toBlogBlockHtml).join('');
}

/** One block as HTML. */
export function toBlogBlockHtml(b: BlogBlock): string {
  switch (b.kind) {
    case 'heading':
      return `<h${b.depth}${b.id ? ` id="${escapeHtml(b.id)}"` : ''}>${b.html}</h${b.depth}>`;
    case 'paragraph':
      return b.align === 'center' ? `<p style="text-align:center">${b.html}</p>` : `<p>${b.html}</p>`;
    case 'code':
      return `<pre><code${b.lang ? ` class="language-${escapeHtml(b.lang)}"` : ''}>${escapeHtml(b.text)}</code></pre>`;
    case 'figure':
      return `<figure class="bookrun-figure"><img src="${escapeHtml(b.src)}" alt="${escapeHtml(b.alt)}">${b.caption ? `<figcaption>${b.caption}</figcaption>` : ''}</figure>`;
    case 'callout':
      return `<aside class="bookrun-callout bookrun-callout-${b.type}">${b.title ? `<p class="bookrun-callout-title"><strong>${b.title}</strong></p>` : ''}${b.blocks.map(toBlogBlockHtml).join('')}</aside>`;
    case 'list': {
      const tag = b.ordered ? 'ol' : 'ul';
      const start = b.ordered && b.start !== null && b.start !== 1 ? ` start="${b.start}"` : '';
      return `<${tag}${start}>${b.items.map((i) => `<li>${item(i)}</li>`).join('')}</${tag}>`;
    }
    case 'quote':
      return `<blockquote>${b.blocks.map(toBlogBlockHtml).join('')}</blockquote>`;
    case 'table':
      return `<table><thead><tr>${b.head.map((c) => `<th>${c}</th>`).join('')}</tr></thead><tbody>${b.rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
    case 'rule':
      return '<hr>';
    case 'html':
      return b.html;
  }
}

/**
 * The post's body as a clean HTML fragment (no `<html>`, no styles, no scripts): one element a line, ready to
 * paste into a blog's HTML editor. The title and the excerpt are not in it (a blog has fields for them);
 * call-outs and figures carry `bookrun-…` classes for the blog's stylesheet.
 */
export function toBlogHtml(post: Pick<BlogPost, 'blocks'>): string {
  return post.blocks.map(toBlogBlockHtml).join('\n') + '\n';
}
