import type { Nodes, Paragraph, PhrasingContent } from 'mdast';
import type { Block, Figure, ImageRef, Note } from './model.ts';
import { report, type ParseContext } from './parse-context.ts';
import type { FlatNodes } from './to-flat-nodes.ts';

/** Fence languages that are diagrams drawn as code. */
export const DIAGRAM_LANGS: ReadonlySet<string> = new Set(['mermaid']);

/** `Figure 17-3: The flow`, `Figure 17-TODO: TODO`, `Figure 3. The flow` (the label, then the caption). */
const LABEL = /^\s*Figure\s+(?:(\d+)\s*[-–.]\s*)?(\d+|TODO)\b\s*[:.]?\s*(.*)$/i;
/**
 * A caption line right after a diagram's fence, maybe emphasised: `*Figure 17-3: The rollout*`, `Figure 3. The
 * rollout`. The label ends with `:` or `.`, so a sentence that starts with "Figure 3 shows" stays a sentence.
 */
const CAPTION_LINE = /^\s*([*_]{0,2})(Figure\s+(?:\d+\s*[-–]\s*)?(?:\d+|TODO)\s*[:.](?:\s.*)?)\1\s*$/i;
const ATTRIBUTE_LINE = /^\s*\{([^{}]*)\}\s*$/;
const CAPTION_KEY = /\b(?:caption|title)\s*[:=]\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^,}]+))/i;
const TODO = /\bTODO\b/;

/** What the figures phase needs besides the tree. */
export interface FiguresInput {
  flat: FlatNodes;
  blocks: Block[];
  /** The prose's images (from the links phase): figures take their references from there. */
  images: ImageRef[];
}

/** `{caption: "The rollout"}` / `{caption="…"}` / Markua `{title: "…"}` → the caption; null when the line has none. */
function captionOf(attributeLine: string): string | null {
  const attr = ATTRIBUTE_LINE.exec(attributeLine);
  if (!attr) return null;
  const m = CAPTION_KEY.exec(attr[1] ?? '');
  if (!m) return null;
  return (m[1] ?? m[2] ?? m[3] ?? '').replace(/\\(["'\\])/g, '$1').trim();
}

/** Splits `Figure 17-3: The flow` into its written number and the caption; no label: the whole text is the caption. */
function splitLabel(text: string): { written: Figure['written']; caption: string } {
  const m = LABEL.exec(text);
  if (!m) return { written: null, caption: text.trim() };
  const number = /^\d+$/.test(m[2]!) ? Number(m[2]) : 'TODO';
  return { written: { chapter: m[1] ? Number(m[1]) : null, number }, caption: (m[3] ?? '').trim() };
}

/** The image alone in a paragraph (an attribute line above it in the same paragraph allowed), or null. */
function loneImage(paragraph: Paragraph): PhrasingContent | null {
  let image: PhrasingContent | null = null;
  for (const child of paragraph.children) {
    if (child.type === 'image' || child.type === 'imageReference') {
      if (image) return null;
      image = child;
      continue;
    }
    if (child.type === 'text' && child.value.split('\n').every((l) => l.trim() === '' || ATTRIBUTE_LINE.test(l))) continue;
    if (child.type === 'break') continue;
    return null;
  }
  return image;
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

/**
 * The figures phase: every image alone in its paragraph and every diagram fence (```` ```mermaid ````), in
 * document order, numbered per chapter. A caption is a Leanpub `{caption: "…"}` attribute line directly
 * above the fence or image, the image's alt text, or a `Figure NN-M: …` line right after a diagram's fence
 * (the genre's way). The chapter's number is the one its captions write, else the file name's leading
 * number (`17-progressive-delivery.md`).
 *
 * Reports: `Figure NN-TODO` figures (and TODO captions) as author notes; a written number that is not the
 * figure's place (`figure-number`). Whether images exist is no part of the parse (see `checkMissingImages`).
 */
export function parseFigures(ctx: ParseContext, input: FiguresInput): { figures: Figure[]; notes: Note[] } {
  const { flat, blocks } = input;
  const blockAt = new Map(blocks.map((b) => [b.line, b]));
  const imageAt = new Map(input.images.map((i) => [`${i.line}:${i.column}`, i]));
  const found: Array<Omit<Figure, 'index' | 'label'>> = [];

  for (const entry of flat.entries) {
    const node = entry.node as Nodes;
    const start = node.position?.start;
    if (!start) continue;
    if (node.type === 'code') {
      const block = blockAt.get(start.line);
      if (!block || block.lang === null || !DIAGRAM_LANGS.has(block.lang)) continue;
      let caption = '';
      let captionFrom: Figure['captionFrom'] = null;
      let written: Figure['written'] = null;
      const fromAttribute = block.attributes ? captionOf(block.attributes.text) : null;
      if (fromAttribute !== null && block.attributes) {
        ({ written, caption } = splitLabel(fromAttribute));
        captionFrom = { kind: 'attribute', line: block.attributes.line };
      }
      // The genre's caption: a `Figure NN-M: …` line right after the fence (one blank line between allowed).
      const next = entry.siblings[entry.index + 1];
      const nextLine = next?.position?.start.line ?? 0;
      if (next?.type === 'paragraph' && nextLine <= block.endLine + 2 && next.position?.end.line === nextLine) {
        const text = CAPTION_LINE.exec(ctx.lines[nextLine - 1] ?? '');
        if (text && captionFrom === null) {
          ({ written, caption } = splitLabel(text[2]!));
          captionFrom = { kind: 'text', line: nextLine };
        }
      }
      found.push({ kind: 'diagram', line: block.line, caption, captionFrom, written, todo: written?.number === 'TODO' || TODO.test(caption), ref: null, block: block.index });
      continue;
    }
    if (node.type !== 'paragraph') continue;
    const image = loneImage(node);
    const at = image?.position?.start;
    const ref = at ? imageAt.get(`${at.line}:${at.column}`) : undefined;
    if (!image || !at || !ref) continue;
    const above = captionOf(ctx.lines[at.line - 2] ?? '');
    const fromAlt = splitLabel(ref.caption);
    const fromAbove = above === null ? null : splitLabel(above);
    // The alt text is the genre's caption; an attribute line's caption wins when the alt has none.
    const useAbove = fromAbove !== null && ref.caption.trim() === '';
    const chosen = fromAbove !== null && useAbove ? fromAbove : fromAlt;
    const captionFrom: Figure['captionFrom'] = useAbove ? { kind: 'attribute', line: at.line - 1 } : ref.caption.trim() ? { kind: 'alt', line: at.line } : null;
    found.push({
      kind: 'image',
      line: at.line,
      caption: chosen.caption,
      captionFrom,
      written: chosen.written,
      todo: chosen.written?.number === 'TODO' || TODO.test(chosen.caption) || TODO.test(ref.caption),
      ref: ref.ref,
      block: null,
    });
  }

  // The chapter's number: the one its captions write most, else the file name's leading number.
  const counts = new Map<number, number>();
  for (const f of found) if (f.written?.chapter != null) counts.set(f.written.chapter, (counts.get(f.written.chapter) ?? 0) + 1);
  const fromFile = /^(\d+)[-_ .]/.exec(ctx.file.split(/[\\/]/).pop() ?? '');
  const chapterNumber = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? (fromFile ? Number(fromFile[1]) : null);

  const notes: Note[] = [];
  const figures = found.map((f, i): Figure => {
    const index = i + 1;
    const label = chapterNumber === null ? `Figure ${index}` : `Figure ${chapterNumber}-${index}`;
    const figure: Figure = { ...f, index, label };
    const line = f.captionFrom?.line ?? f.line;
    if (f.todo) {
      const written = f.written ? `Figure ${f.written.chapter === null ? '' : `${f.written.chapter}-`}${f.written.number}` : label;
      notes.push({ kind: 'todo', line, text: `${written}${f.caption ? `: ${f.caption}` : ''}`, where: 'figure' });
    } else if (f.written && typeof f.written.number === 'number' && (f.written.number !== index || (chapterNumber !== null && f.written.chapter !== null && f.written.chapter !== chapterNumber))) {
      const as = `Figure ${f.written.chapter === null ? '' : `${f.written.chapter}-`}${f.written.number}`;
      report(ctx, line, 1, 'figure-number', 'warning', `this is the ${ordinal(index)} figure of the chapter, but its caption says ${as}: write ${label} (figures are numbered per chapter, in order)`);
    }
    return figure;
  });
  return { figures, notes };
}
