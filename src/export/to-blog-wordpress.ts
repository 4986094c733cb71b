import type { BlogBlock, BlogPost, CalloutType } from './blog-post.ts';
import { escapeHtml } from './escape-html.ts';
import { toBlogBlockHtml as htmlBlock } from './to-blog-html.ts';

/** A call-out's background: readable without the blog's stylesheet (the block editor keeps it as the group's colour). */
const BACKGROUNDS: Record<CalloutType, string> = {
  info: '#eaf4fd',
  warning: '#fff4e0',
  tip: '#e9f7ef',
  error: '#fdecea',
  question: '#f1ecfb',
  discussion: '#f1ecfb',
  exercise: '#eef1f6',
  aside: '#f4f4f4',
  note: '#f4f4f4',
};

/** A block comment's attributes, as the block editor writes them (none: no JSON at all). */
function attrs(values: Record<string, unknown>): string {
  const kept = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
  return Object.keys(kept).length === 0 ? '' : ` ${JSON.stringify(kept)}`;
}

/**
 * Code as the code block saves it: HTML-escaped, `[` as `&#91;` (so `VERSION=[...]` is never read as a
 * shortcode) and the `//` of a line that is only a URL escaped (so it is not turned into an embed).
 */
function escapeCode(text: string): string {
  return escapeHtml(text)
    .replace(/\[/g, '&#91;')
    .replace(/^(\s*https?:)\/\/([^\s<>"]+\s*)$/gm, '$1&#47;&#47;$2');
}

function paragraph(html: string, align?: 'center'): string {
  if (align) return `<!-- wp:paragraph {"align":"center"} -->\n<p class="has-text-align-center">${html}</p>\n<!-- /wp:paragraph -->`;
  return `<!-- wp:paragraph -->\n<p>${html}</p>\n<!-- /wp:paragraph -->`;
}

/** Whether a list fits the list blocks: items of text and nested lists (anything else goes out as HTML). */
function plainList(b: Extract<BlogBlock, { kind: 'list' }>): boolean {
  return b.items.every((item) => {
    const [first, ...rest] = item;
    return (first === undefined || first.kind === 'paragraph') && rest.every((r) => r.kind === 'list' && plainList(r));
  });
}

function list(b: Extract<BlogBlock, { kind: 'list' }>): string {
  const tag = b.ordered ? 'ol' : 'ul';
  const start = b.ordered && b.start !== null && b.start !== 1 ? b.start : undefined;
  const items = b.items.map((item) => {
    const [first, ...nested] = item;
    const text = first?.kind === 'paragraph' ? first.html : '';
    const inner = nested.map((n) => (n.kind === 'list' ? list(n) : '')).join('');
    return `<!-- wp:list-item -->\n<li>${text}${inner}</li>\n<!-- /wp:list-item -->`;
  });
  return `<!-- wp:list${attrs({ ordered: b.ordered || undefined, start })} -->\n<${tag} class="wp-block-list"${start ? ` start="${start}"` : ''}>${items.join('\n')}</${tag}>\n<!-- /wp:list -->`;
}

function wordpressBlock(b: BlogBlock): string {
  switch (b.kind) {
    case 'heading': {
      const tag = `h${b.depth}`;
      return `<!-- wp:heading${attrs({ level: b.depth === 2 ? undefined : b.depth })} -->\n<${tag} class="wp-block-heading"${b.id ? ` id="${escapeHtml(b.id)}"` : ''}>${b.html}</${tag}>\n<!-- /wp:heading -->`;
    }
    case 'paragraph':
      return paragraph(b.html, b.align);
    case 'code': {
      const className = b.lang ? `language-${b.lang}` : undefined;
      return `<!-- wp:code${attrs({ className })} -->\n<pre class="wp-block-code${className ? ` ${escapeHtml(className)}` : ''}"><code>${escapeCode(b.text)}</code></pre>\n<!-- /wp:code -->`;
    }
    case 'figure':
      return `<!-- wp:image {"sizeSlug":"large"} -->\n<figure class="wp-block-image size-large"><img src="${escapeHtml(b.src)}" alt="${escapeHtml(b.alt)}"/>${b.caption ? `<figcaption class="wp-element-caption">${b.caption}</figcaption>` : ''}</figure>\n<!-- /wp:image -->`;
    case 'callout': {
      const className = `bookrun-callout bookrun-callout-${b.type}`;
      const background = BACKGROUNDS[b.type];
      const inner = [...(b.title ? [paragraph(`<strong>${b.title}</strong>`)] : []), ...b.blocks.map(wordpressBlock)].join('\n\n');
      return `<!-- wp:group${attrs({ className, style: { color: { background } } })} -->\n<div class="wp-block-group ${className} has-background" style="background-color:${background}">${inner}</div>\n<!-- /wp:group -->`;
    }
    case 'list':
      return plainList(b) ? list(b) : `<!-- wp:html -->\n${htmlBlock(b)}\n<!-- /wp:html -->`;
    case 'quote':
      return `<!-- wp:quote -->\n<blockquote class="wp-block-quote">${b.blocks.map(wordpressBlock).join('\n\n')}</blockquote>\n<!-- /wp:quote -->`;
    case 'table':
      return `<!-- wp:table -->\n<figure class="wp-block-table">${htmlBlock(b).replace('<table>', '<table class="has-fixed-layout">')}</figure>\n<!-- /wp:table -->`;
    case 'rule':
      return '<!-- wp:separator -->\n<hr class="wp-block-separator has-alpha-channel-opacity"/>\n<!-- /wp:separator -->';
    case 'html':
      return `<!-- wp:html -->\n${b.html}\n<!-- /wp:html -->`;
  }
}

/**
 * The post's body as WordPress block-editor markup (`<!-- wp:paragraph -->` …), for the editor's "Code editor"
 * view: core blocks only (paragraph, heading, code, image, list, quote, table, separator, group for call-outs,
 * html for what no core block holds). Images point where the post's files will be (`--image-base`).
 */
export function toBlogWordpress(post: Pick<BlogPost, 'blocks'>): string {
  return post.blocks.map(wordpressBlock).join('\n\n') + '\n';
}
