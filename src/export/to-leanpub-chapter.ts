import type { GistLink } from '../core/gist-links.ts';
import { fillGistLinks } from '../core/gist-links.ts';
import type { Block, Chapter } from '../core/model.ts';
import { toHiddenLines } from '../core/to-hidden-lines.ts';
import { toMarkuaAttributes } from './to-markua-attributes.ts';

/** The Leanpub dialect to write. */
export type LeanpubFormat = 'lfm' | 'markua';

/** Options of {@link toLeanpubChapter}. */
export interface LeanpubChapterOptions {
  format: LeanpubFormat;
  /** Gist links of the chapter (from `findGistLinks`): the resolved ones are filled in. */
  gistLinks: GistLink[];
  /** Markua only: mark the chapter as part of the free sample (`{sample: true}` above its title). */
  sample?: boolean;
  /** Image references to rewrite: reference as written → reference in the manuscript. */
  images?: Map<string, string>;
  /**
   * Diagrams drawn as images (Leanpub cannot draw mermaid): by block index, the image file in the manuscript
   * and the caption. The fence becomes `![caption](image)`; its `{caption: …}` line or `Figure NN-M:` line goes.
   */
  diagrams?: Map<number, { image: string; caption: string }>;
}

/** Alt text as Markdown writes it: brackets and backslashes escaped. */
function escapeAlt(text: string): string {
  return text.replace(/[\\[\]]/g, (c) => `\\${c}`);
}

/**
 * A prose line that is a whole `{…}` in Markua: an attribute list or directive. LFM `key=value` lists
 * (`{width=60%}`) are rewritten; ids, directives and Markua lists stay; anything else (a JSON line left
 * outside a fence) is escaped, because Markua would silently drop it.
 */
function toMarkuaLine(body: string, line: string): string {
  const inner = body.trim();
  if (/^#[A-Za-z][\w-]*$/.test(inner) || /^\/?[a-z]+$/.test(inner)) return line;
  if (/^[a-z_-]+\s*:/i.test(inner)) return line;
  const pairs = inner.split(',').map((p) => /^\s*([A-Za-z_-]+)\s*=\s*(.*?)\s*$/.exec(p));
  if (pairs.length > 0 && pairs.every((p) => p !== null)) {
    return toMarkuaAttributes(Object.fromEntries(pairs.map((p) => [p![1]!, p![2]!])));
  }
  return line.replace('{', '\\{');
}

/** Lines a Docusaurus page needs and a book must not show: front matter, MDX imports, HTML comments. */
function siteOnly(lines: string[]): Set<number> {
  const skip = new Set<number>();
  if (lines[0]?.trim() === '---') {
    const end = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
    if (end > 0) {
      for (let i = 0; i <= end; i++) skip.add(i + 1);
      if (lines[end + 1]?.trim() === '') skip.add(end + 2);
    }
  }
  lines.forEach((text, i) => {
    if (/^\s*<!--.*-->\s*$/.test(text) || /^import\s+.+\s+from\s+['"][^'"]+['"];?\s*$/.test(text)) skip.add(i + 1);
  });
  return skip;
}

/**
 * Writes one chapter as Leanpub Markdown. Removed: the `## TODO` checklist, TODO/NOTE author notes (prose
 * and `#` comments), `# bookrun:` annotations and site-only syntax (front matter, MDX imports, HTML
 * comments), each with the blank line it leaves behind so paragraphs stay one blank line apart. Code
 * fences are kept byte for byte apart from those lines. Gist links are filled from the manifest. Diagrams
 * (```` ```mermaid ````) become images with their captions, when `diagrams` says where they were drawn.
 *
 * LFM keeps asides, fences and `{lang=…}` lines as written. Markua 0.30 moves `{#id}` from the heading
 * line to the line above, turns `{lang=…}` into `{format: …}`, `G>` into `B>`, `leanpub-*-insert` into
 * `markua-*-insert`, and puts `{sample: true}` above the title of a sample chapter.
 */
export function toLeanpubChapter(chapter: Chapter, options: LeanpubChapterOptions): string {
  const markua = options.format === 'markua';
  const hidden = new Set([...toHiddenLines(chapter).keys(), ...siteOnly(chapter.lines)]);
  const blockAt = new Map<number, Block>();
  for (const b of chapter.blocks) for (let l = b.line; l <= b.endLine; l++) blockAt.set(l, b);
  const attributeOf = new Map<number, Block>();
  for (const b of chapter.blocks) if (b.attributes) attributeOf.set(b.attributes.line, b);
  const headingAt = new Map(chapter.headings.map((h) => [h.line, h]));
  // A diagram's fence becomes its image; its caption line (attribute above, `Figure NN-M:` below) goes with it.
  const diagramAt = new Map<number, { image: string; caption: string; block: Block }>();
  for (const figure of chapter.figures) {
    const drawn = figure.block === null ? undefined : options.diagrams?.get(figure.block);
    if (!drawn || figure.block === null) continue;
    const block = chapter.blocks[figure.block]!;
    diagramAt.set(block.line, { ...drawn, block });
    for (let l = block.line + 1; l <= block.endLine; l++) hidden.add(l);
    if (figure.captionFrom) hidden.add(figure.captionFrom.line);
    if (block.attributes) hidden.add(block.attributes.line);
  }
  const linksAt = new Map<number, GistLink[]>();
  for (const link of options.gistLinks) linksAt.set(link.line, [...(linksAt.get(link.line) ?? []), link]);

  const out: string[] = [];
  const openers = new Set<number>();
  let removed = false;
  const emit = (text: string, role: 'prose' | 'open' | 'close' | 'code' = 'prose') => {
    if (removed) {
      const last = out.length === 0 ? null : out[out.length - 1];
      const afterOpener = openers.has(out.length - 1);
      if (text.trim() === '' && (last === null || last.trim() === '' || afterOpener)) return;
      if (role === 'close' && last !== null && last.trim() === '' && !afterOpener) out.pop();
    }
    removed = false;
    if (role === 'open') openers.add(out.length);
    out.push(text);
  };

  chapter.lines.forEach((text, index) => {
    const line = index + 1;
    if (hidden.has(line)) {
      removed = true;
      return;
    }
    const diagram = diagramAt.get(line);
    if (diagram) {
      // A crosslink id and a width on the fence's attribute line stay on the image (the rest was the fence's).
      const values = diagram.block.attributes?.values ?? {};
      const kept = (['id', 'width'] as const).filter((k) => values[k]).map((k) => (markua ? `${k}: ${values[k]}` : `${k}="${values[k]}"`));
      if (kept.length > 0) emit(`{${kept.join(markua ? ', ' : ',')}}`);
      emit(`![${escapeAlt(diagram.caption)}](${diagram.image})`);
      return;
    }
    const block = blockAt.get(line);
    if (block) {
      const role = line === block.line ? 'open' : line === block.endLine && !block.open ? 'close' : 'code';
      const body = markua && role === 'code' ? text.replace(/\bleanpub-(start|end)-(insert|delete)\b/g, 'markua-$1-$2') : text;
      emit(body, role);
      return;
    }
    let prose = linksAt.has(line) ? fillGistLinks(text, linksAt.get(line) ?? []) : text;
    for (const [ref, to] of options.images ?? []) {
      if (ref !== to && prose.includes(`](${ref}`)) prose = prose.split(`](${ref}`).join(`](${to}`);
    }
    if (!markua) {
      emit(prose);
      return;
    }
    const attributed = attributeOf.get(line);
    if (attributed?.attributes) {
      emit(toMarkuaAttributes(attributed.attributes.values));
      return;
    }
    const heading = headingAt.get(line);
    if (heading && /^#{1,6}\s/.test(prose)) {
      const idMatch = /\s*\{#([A-Za-z][\w-]*)\}\s*$/.exec(prose);
      const attrs: string[] = [];
      if (idMatch) attrs.push(`id: ${idMatch[1]}`);
      if (options.sample && line === chapter.titleLine) attrs.push('sample: true');
      if (attrs.length > 0) {
        const above = out[out.length - 1];
        const idAbove = above !== undefined ? /^\{#([A-Za-z][\w-]*)\}$/.exec(above.trim()) : null;
        if (idAbove && !idMatch) {
          out.pop();
          attrs.unshift(`id: ${idAbove[1]}`);
        }
        emit(attrs.length === 1 && idMatch ? `{#${idMatch[1]}}` : `{${attrs.join(', ')}}`);
      }
      emit(idMatch ? prose.slice(0, idMatch.index) : prose);
      return;
    }
    const attributeLine = /^\{(.*)\}\s*$/.exec(prose.trim());
    if (attributeLine) {
      emit(toMarkuaLine(attributeLine[1] ?? '', prose));
      return;
    }
    if (/^-#\s/.test(prose)) {
      emit('{class: part}');
      emit(prose.slice(1));
      return;
    }
    emit(prose.replace(/^G>/, 'B>'));
  });
  while (out.length > 0 && out[out.length - 1]?.trim() === '') out.pop();
  return out.join('\n') + '\n';
}
