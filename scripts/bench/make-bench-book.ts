/**
 * A book for the benchmarks, in Leanpub's layout, made from this repository's own chapters: `docs/*.md` and
 * the Leanpub fixture book's chapters, repeated (with headings of their own per copy) until each chapter has
 * the size asked for. The book config is the example book's matrix with `chapters: manuscript/Book.txt`.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The chapters the bench book is made of: the example book's, then the fixture book's. */
function sources(): string[] {
  const docs = ['docs/local-canary.md', 'docs/canary-deployments.md'].map((f) => readFileSync(path.join(root, f), 'utf8'));
  const fixture = path.join(root, 'src/book/fixtures/leanpub-book/manuscript');
  const more = readdirSync(fixture)
    .filter((f) => /^0[1-6]-.*\.md$/.test(f))
    .sort()
    .map((f) => readFileSync(path.join(fixture, f), 'utf8'));
  // Without the fixture's mermaid figure: these goals are bookrun's own cost per command; drawing diagrams
  // (a browser, cached by content) is what diagrams.bench.ts measures.
  return [...docs, ...more].map((text) => text.replace(/\n\{caption: [^\n]*\}\n```mermaid\n[\s\S]*?\n```\n/g, '\n'));
}

/** One chapter of about `bytes`: a title, then copies of the source chapters with their headings numbered. */
export function toBenchChapter(n: number, bytes: number): string {
  const parts = sources();
  let text = `# Chapter ${n}: Progressive Delivery, Part ${n}\n\n`;
  for (let copy = 0; text.length < bytes; copy++) {
    const source = parts[(n + copy) % parts.length]!;
    // Every heading of its own (titles become sections), ids unique across the book.
    const body = source
      .replace(/^## TODO[\s\S]*?(?=^#{1,2} )/m, '')
      .replace(/^-# .*$/gm, '')
      .replace(/^(#{1,3}) (.+?)(?: \{#[\w-]+\})?$/gm, (_, hashes: string, title: string) => `${hashes.length === 1 ? '##' : hashes} ${title} (${n}.${copy + 1})`);
    text += `${body}\n\n`;
  }
  return text;
}

/** Writes a bench book of `chapters` chapters of about `bytes` each into a new temporary folder; returns its root. */
export function makeBenchBook(options: { chapters: number; bytes: number; prefix?: string }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), options.prefix ?? 'bookrun-bench-book-'));
  const manuscript = path.join(dir, 'manuscript');
  mkdirSync(path.join(manuscript, 'images'), { recursive: true });
  for (const image of ['first-app.png', 'canary-flow.png']) {
    writeFileSync(path.join(manuscript, 'images', image), readFileSync(path.join(root, 'src/book/fixtures/leanpub-book/manuscript/images', image)));
  }
  const names: string[] = [];
  for (let n = 1; n <= options.chapters; n++) {
    const name = `${String(n).padStart(2, '0')}-chapter-${n}.md`;
    writeFileSync(path.join(manuscript, name), toBenchChapter(n, options.bytes));
    names.push(name);
  }
  writeFileSync(path.join(manuscript, 'Book.txt'), `# The bench book\n${names.join('\n')}\n`);
  const example = parse(readFileSync(path.join(root, 'bookrun.yaml'), 'utf8')) as Record<string, unknown>;
  const config = { title: 'Bench Book', chapters: 'manuscript/Book.txt', variants: example.variants, conditions: example.conditions, gists: example.gists };
  writeFileSync(path.join(dir, 'bookrun.yaml'), stringify(config));
  return dir;
}
