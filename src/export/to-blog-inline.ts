import type { Definition, PhrasingContent } from 'mdast';
import { escapeHtml } from './escape-html.ts';

/** What inline rendering needs from the post: reference definitions, gist links filled, image sources. */
export interface InlineContext {
  /** `[text][ref]` definitions, by lower-case identifier. */
  definitions: Map<string, Definition>;
  /** The URL a link is published with (gist links filled from the manifest). */
  linkUrl: (url: string, text: string) => string;
  /** The URL an inline image is published with (copied beside the post). */
  imageSrc: (ref: string) => string;
}

/** A URL as an attribute: scripts never (a `javascript:` link becomes a dead one). */
function safeUrl(url: string): string {
  return /^\s*(?:javascript|vbscript|data):/i.test(url) && !/^\s*data:image\//i.test(url) ? '#' : escapeHtml(url);
}

/** The text of inline content, as written (for alt text and link matching). */
export function toInlineText(nodes: readonly PhrasingContent[]): string {
  return nodes
    .map((node) => {
      if (node.type === 'text' || node.type === 'inlineCode') return node.value;
      if (node.type === 'image' || node.type === 'imageReference') return node.alt ?? '';
      if (node.type === 'break') return ' ';
      return 'children' in node ? toInlineText(node.children as PhrasingContent[]) : '';
    })
    .join('');
}

/**
 * Inline Markdown (mdast phrasing content) as HTML: emphasis, strong, strike-through, code spans, links (gist
 * links filled), images, line breaks, reference links through their definitions. Text is escaped; inline
 * HTML the author wrote is kept as written.
 */
export function toBlogInline(nodes: readonly PhrasingContent[], ctx: InlineContext): string {
  return nodes
    .map((node): string => {
      switch (node.type) {
        case 'text':
          return escapeHtml(node.value);
        case 'emphasis':
          return `<em>${toBlogInline(node.children, ctx)}</em>`;
        case 'strong':
          return `<strong>${toBlogInline(node.children, ctx)}</strong>`;
        case 'delete':
          return `<del>${toBlogInline(node.children, ctx)}</del>`;
        case 'inlineCode':
          return `<code>${escapeHtml(node.value)}</code>`;
        case 'break':
          return '<br>';
        case 'html':
          return node.value;
        case 'link':
          return `<a href="${safeUrl(ctx.linkUrl(node.url, toInlineText(node.children)))}"${node.title ? ` title="${escapeHtml(node.title)}"` : ''}>${toBlogInline(node.children, ctx)}</a>`;
        case 'linkReference': {
          const definition = ctx.definitions.get(node.identifier.toLowerCase());
          const inner = toBlogInline(node.children, ctx);
          return definition ? `<a href="${safeUrl(ctx.linkUrl(definition.url, toInlineText(node.children)))}">${inner}</a>` : inner;
        }
        case 'image':
          return `<img src="${safeUrl(ctx.imageSrc(node.url))}" alt="${escapeHtml(node.alt ?? '')}">`;
        case 'imageReference': {
          const definition = ctx.definitions.get(node.identifier.toLowerCase());
          return definition ? `<img src="${safeUrl(ctx.imageSrc(definition.url))}" alt="${escapeHtml(node.alt ?? '')}">` : escapeHtml(node.alt ?? '');
        }
        case 'footnoteReference':
          return `<sup>${escapeHtml(node.label ?? node.identifier)}</sup>`;
        default:
          return 'children' in node ? toBlogInline(node.children as PhrasingContent[], ctx) : '';
      }
    })
    .join('');
}
