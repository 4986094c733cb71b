import type { BlogPost } from './blog-post.ts';
import { escapeHtml } from './escape-html.ts';
import { toBlogHtml } from './to-blog-html.ts';

/** The preview's stylesheet: a reading column as blogs have, code that scrolls sideways on a phone, call-outs by kind. */
const STYLE = `
:root{color-scheme:light;--text:#1f2328;--muted:#59636e;--rule:#d1d9e0;--code:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:18px/1.65 Georgia,"DejaVu Serif",serif;color:var(--text);background:#fff}
.bookrun-preview-bar{font:14px/1.45 system-ui,"DejaVu Sans",sans-serif;background:#24292f;color:#f0f3f6;padding:10px 16px}
.bookrun-preview-bar p{margin:0 0 6px}
.bookrun-preview-bar code{background:#3d444d;color:#f0f3f6}
.bookrun-preview-bar dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0;max-width:72rem}
.bookrun-preview-bar dt{color:#9198a1}
.bookrun-preview-bar dd{margin:0}
article{max-width:46rem;margin:0 auto;padding:24px 20px 64px}
h1,h2,h3,h4{font-family:system-ui,"DejaVu Sans",sans-serif;line-height:1.25;margin:1.6em 0 .6em}
h1{font-size:2.1rem;margin-top:.6em}
a{color:#0969da}
code{font:0.85em/1.5 "DejaVu Sans Mono","Liberation Mono",monospace;background:var(--code);padding:.1em .3em;border-radius:4px}
pre{background:var(--code);border:1px solid var(--rule);border-radius:6px;padding:12px 14px;overflow-x:auto;font-size:16px}
pre code{background:none;padding:0;white-space:pre}
figure{margin:1.6em 0;text-align:center}
figure img{max-width:100%;height:auto;border:1px solid var(--rule);border-radius:4px;background:#fff}
figcaption{font:italic 15px/1.4 system-ui,"DejaVu Sans",sans-serif;color:var(--muted);margin-top:.5em}
img{max-width:100%}
blockquote{margin:1em 0;padding:0 1em;border-left:4px solid var(--rule);color:var(--muted)}
table{border-collapse:collapse;display:block;overflow-x:auto}
th,td{border:1px solid var(--rule);padding:4px 10px}
.bookrun-callout{margin:1.4em 0;padding:.6em 1em;border-left:5px solid #0969da;background:#eaf4fd;border-radius:0 6px 6px 0}
.bookrun-callout p{margin:.5em 0}
.bookrun-callout-warning{border-color:#bf8700;background:#fff4e0}
.bookrun-callout-tip{border-color:#1a7f37;background:#e9f7ef}
.bookrun-callout-error{border-color:#cf222e;background:#fdecea}
.bookrun-callout-question,.bookrun-callout-discussion{border-color:#8250df;background:#f1ecfb}
.bookrun-callout-exercise,.bookrun-callout-aside,.bookrun-callout-note{border-color:#59636e;background:#f4f4f4}
.bookrun-callout-title{font-family:system-ui,"DejaVu Sans",sans-serif}
@media (max-width:480px){.bookrun-preview-bar dl{grid-template-columns:1fr}.bookrun-preview-bar dd{margin-bottom:4px}body{font-size:17px}article{padding:16px 14px 48px}h1{font-size:1.7rem}pre{font-size:14px}}
`;

/**
 * A standalone page that shows the post as a blog would (title, body, images beside it), under a bar with the
 * fields the blog asks for (title, slug, excerpt), to look at before pasting the fragment into the blog.
 * Nothing is loaded from the network: styles are inline, images relative.
 */
export function toBlogPreview(post: BlogPost, options: { format: 'html' | 'wordpress' } = { format: 'html' }): string {
  const variant = post.variant ? `the commands of <code>${escapeHtml(post.variant)}</code>` : 'every command, with its condition';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(post.title)} (preview)</title>
<style>${STYLE}</style>
</head>
<body>
<header class="bookrun-preview-bar">
<p><strong>Preview</strong> of the post <code>${escapeHtml(post.slug)}</code> (${escapeHtml(options.format)}), with ${variant}. Paste the fragment into the blog; its fields:</p>
<dl><dt>Title</dt><dd>${escapeHtml(post.title)}</dd><dt>Slug</dt><dd>${escapeHtml(post.slug)}</dd>${post.excerpt ? `<dt>Excerpt</dt><dd>${escapeHtml(post.excerpt)}</dd>` : ''}</dl>
</header>
<article>
<h1>${escapeHtml(post.title)}</h1>
${toBlogHtml(post)}</article>
</body>
</html>
`;
}
