import type { BookConfig } from '../core/book-config.ts';
import { findGistLinks } from '../core/gist-links.ts';
import type { Chapter, Diagnostic } from '../core/model.ts';
import { toCrosslinkIds } from '../core/to-crosslink-ids.ts';
import { toImagePath } from '../core/to-image-path.ts';
import { toDiagramImageName } from './to-diagram-image-name.ts';
import { toFigureCaption } from './to-figure-caption.ts';
import { toLeanpubChapter, type LeanpubFormat } from './to-leanpub-chapter.ts';

/** One chapter to export, with where it sits in the book. */
export interface ManuscriptInput {
  chapter: Chapter;
  /** Path relative to the book root, forward slashes (`docs/progressive-delivery.md`): messages name it. */
  key: string;
  /** Which part of the book it belongs to. */
  matter: 'front' | 'main' | 'back';
  /** Lint findings already computed for the chapter (only errors block the export). */
  lint?: Diagnostic[];
}

/** Something that keeps the manuscript from being published (the export refuses without `--draft`). */
export interface ManuscriptFinding {
  file: string;
  line: number;
  rule: string;
  message: string;
}

/** What `bookrun export leanpub` writes: files (relative to the out dir) and images to copy. */
export interface Manuscript {
  files: Array<{ path: string; content: string }>;
  /** Images to copy: `from` relative to the book root, `to` relative to the out dir. */
  images: Array<{ from: string; to: string; file: string; line: number }>;
  /** Diagrams to draw as PNG (mermaid text), `to` relative to the out dir; the chapters reference them there. */
  diagrams: Array<{ code: string; to: string; file: string; line: number }>;
  findings: ManuscriptFinding[];
}

/** `images/ch1/x.png`, `./img/x.png`, `/img/x.png` → `ch1/x.png`, `x.png`, `x.png` (inside `images/`). */
function imageName(ref: string): string {
  return ref.replace(/^(\.\/|\.\.\/|\/)+/, '').replace(/^(static\/)?(images|img|resources\/images)\//, '');
}

/**
 * Plans a Leanpub manuscript: `Book.txt` (files in book order, one a line), `Sample.txt` (LFM, when the
 * config names sample chapters), matter directive files when configured, one `.md` per chapter written by
 * {@link toLeanpubChapter}, and the images to copy (`images/`, Markua `resources/images/`). Findings list
 * what keeps it from being published: author notes, unchecked checklist items, unresolved gist links,
 * lint errors, crosslinks to ids outside the exported chapters, images outside the book, draft figures.
 * Diagrams (```` ```mermaid ````) are listed to be drawn as PNGs, and the chapters reference those.
 */
export function toManuscript(inputs: ManuscriptInput[], config: BookConfig, options: { format?: LeanpubFormat } = {}): Manuscript {
  const format = options.format ?? config.leanpub.format;
  const markua = format === 'markua';
  const findings: ManuscriptFinding[] = [];
  const files: Manuscript['files'] = [];
  const images: Manuscript['images'] = [];
  const diagrams: Manuscript['diagrams'] = [];
  const ids = new Set<string>();
  for (const input of inputs) toCrosslinkIds(input.chapter, ids);

  const names = new Map<string, string>();
  const book: string[] = [];
  const sample: string[] = [];
  const matterFile = (matter: 'front' | 'main' | 'back') => `${matter}matter.txt`;
  let matter: ManuscriptInput['matter'] | null = null;
  // Directives only mean something when the book has front or back matter (a one-chapter export has none).
  const directives = config.leanpub.matter && inputs.some((i) => i.matter !== 'main');
  for (const input of inputs) {
    const base = (input.key.split('/').pop() ?? input.key).replace(/\.(mdx?|markdown|txt)$/i, '') + '.md';
    const taken = names.get(base);
    const name = taken && taken !== input.key ? `${input.key.replace(/\.(mdx?|markdown|txt)$/i, '').replace(/\//g, '-')}.md` : base;
    names.set(name, input.key);
    if (directives && input.matter !== matter && !(markua && input.matter === 'front')) {
      const directive = matterFile(input.matter);
      book.push(directive);
      files.push({ path: directive, content: `{${input.matter}matter}\n` });
      if (!markua) sample.push(directive);
    }
    matter = input.matter;
    book.push(name);
    const inSample = config.leanpub.sample.includes(input.key);
    if (inSample || input.matter === 'front') sample.push(name);

    const chapter = input.chapter;
    const gistLinks = findGistLinks(chapter, config);
    const rewrites = new Map<string, string>();
    for (const ref of chapter.images) {
      if (ref.remote) continue;
      const from = toImagePath(input.key, ref.ref);
      if (from === null) {
        findings.push({ file: input.key, line: ref.line, rule: 'image-outside-book', message: `image ${ref.ref} is outside the book folder: move it under the book` });
        continue;
      }
      const to = `images/${imageName(ref.ref)}`;
      rewrites.set(ref.ref, to);
      const dest = markua ? `resources/${to}` : to;
      if (!images.some((i) => i.to === dest)) images.push({ from, to: dest, file: input.key, line: ref.line });
    }
    // Leanpub cannot draw mermaid: each diagram is published as a PNG with its caption.
    const drawn = new Map<number, { image: string; caption: string }>();
    for (const figure of chapter.figures) {
      if (figure.kind !== 'diagram' || figure.block === null) continue;
      const image = `images/${toDiagramImageName(name, figure.index)}`;
      drawn.set(figure.block, { image, caption: toFigureCaption(figure) });
      diagrams.push({ code: chapter.blocks[figure.block]!.value, to: markua ? `resources/${image}` : image, file: input.key, line: figure.line });
    }
    files.push({
      path: name,
      content: toLeanpubChapter(chapter, { format, gistLinks, sample: markua && inSample, images: rewrites, diagrams: drawn }),
    });

    const gistLines = new Set(gistLinks.map((l) => l.line));
    for (const note of chapter.notes) {
      if (note.where === 'link' && gistLines.has(note.line)) continue; // a gist link: filled, or reported below
      if (note.where === 'figure') {
        findings.push({ file: input.key, line: note.line, rule: 'figure-todo', message: `draft figure: ${note.text.trim()}` });
        continue;
      }
      findings.push({ file: input.key, line: note.line, rule: 'author-note', message: `author note: ${note.text.trim()}` });
    }
    for (const item of chapter.checklist) {
      if (!item.checked) findings.push({ file: input.key, line: item.line, rule: 'checklist', message: `unchecked review item: ${item.text}` });
    }
    for (const link of gistLinks) {
      if (link.resolved === null) {
        findings.push({ file: input.key, line: link.line, rule: 'gist-link', message: `gist link ${link.gist ?? link.url} has no URL in gists.urls (${config.file})` });
      }
    }
    for (const link of chapter.links) {
      if (link.url.startsWith('#') && !ids.has(link.url.slice(1))) {
        findings.push({ file: input.key, line: link.line, rule: 'crosslink-missing', message: `crosslink to ${link.url}: no exported chapter defines that id` });
      }
    }
    for (const d of input.lint ?? []) {
      // Missing images are found by the writer (it copies them), gist links and crosslinks above.
      if (d.severity !== 'error' || d.rule === 'gist-link' || d.rule === 'crosslink-missing' || d.rule === 'todo-link' || d.rule === 'image-missing') continue;
      findings.push({ file: input.key, line: d.line, rule: d.rule, message: `lint error: ${d.message}` });
    }
  }
  files.unshift({ path: 'Book.txt', content: book.join('\n') + '\n' });
  if (!markua && config.leanpub.sample.length > 0 && sample.some((s) => !s.endsWith('matter.txt'))) {
    files.splice(1, 0, { path: 'Sample.txt', content: sample.join('\n') + '\n' });
  }
  findings.sort((a, b) => (a.file === b.file ? a.line - b.line : 0));
  return { files, images, diagrams, findings };
}
