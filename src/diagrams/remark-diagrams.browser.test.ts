/**
 * The site draws diagrams at build time: the remark plugin turns each mermaid block of a chapter into its SVG
 * inline with the figure's caption, from the same renderer and cache as the exports, and ships no mermaid code.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Html, Root } from 'mdast';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { VFile } from 'vfile';
import { afterAll, describe, expect, it } from 'vitest';
import { createWriteGuard } from '../book/create-write-guard.ts';
import { readBook, readChapter } from '../book/read-book.ts';
import { parseHtml } from '../testing/parse-html.ts';
import { openDiagramCache } from './open-diagram-cache.ts';
import remarkDiagrams from './remark-diagrams.ts';
import type { RenderStats } from './render-diagrams.ts';
import { copyFixture } from '../testing/copy-fixture.ts';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/book');
const dir = mkdtempSync(path.join(os.tmpdir(), 'bookrun-remark-diagrams-'));
copyFixture(fixture, dir);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CHAPTER = 'docs/17-visualizing-the-rollout.md';

async function transform(text: string) {
  const book = await readBook({ cwd: dir });
  const stats: RenderStats[] = [];
  const plugin = remarkDiagrams({
    root: book.root,
    chapters: book.config.chapters,
    parse: (_text, key) => readChapter(book, path.join(book.root, key), key),
    cache: () => openDiagramCache(book.root, createWriteGuard(book)),
    onStats: (s) => stats.push(s),
  });
  const tree = unified().use(remarkParse).parse(text) as Root;
  const file = new VFile({ path: path.join(dir, CHAPTER), value: text });
  await plugin(tree, file);
  return { tree, file, stats };
}

describe('remarkDiagrams: build-time SVG on the site', () => {
  it('replaces each mermaid block with its SVG and caption, and the Figure line that captioned it', async () => {
    const text = readFileSync(path.join(dir, CHAPTER), 'utf8');
    const { tree, stats } = await transform(text);
    expect(stats).toEqual([{ diagrams: 2, rendered: 2, cached: 0, failed: 0 }]);
    expect(tree.children.some((n) => n.type === 'code' && n.lang === 'mermaid')).toBe(false);
    const figures = tree.children.filter((n): n is Html => n.type === 'html' && n.value.startsWith('<figure class="bookrun-diagram"'));
    expect(figures).toHaveLength(2);
    const parsed = figures.map((f) => parseHtml(f.value, { fragment: true }));
    expect(parsed.map((p) => p.errors)).toEqual([[], []]);
    expect(parsed.map((p) => p.elements.find((e) => e.tag === 'figcaption')?.text)).toEqual([
      'Figure 17-2: The canary analysis, step by step',
      'Figure 17-3: What Flagger asks Prometheus and Istio on every step',
    ]);
    // The drawing is an image of its own (a data: URL): the SVG in it has its own size and the diagram's labels.
    const svgs = parsed.map((p) => {
      const img = p.elements.find((e) => e.tag === 'img')!;
      expect(img.attrs.alt).toBe(p.elements.find((e) => e.tag === 'figcaption')?.text);
      expect(Number(img.attrs.width)).toBeGreaterThan(300);
      return Buffer.from(img.attrs.src!.replace(/^data:image\/svg\+xml;base64,/, ''), 'base64').toString('utf8');
    });
    expect(svgs[0]).toMatch(/^<svg width="\d+" height="\d+" /);
    const textOf = (svg: string) => svg.replace(/<style>[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, '');
    expect(textOf(svgs[0]!)).toContain('Promote the canary');
    expect(textOf(svgs[1]!)).toContain('route 10% more to the canary');
    // The caption line is not shown twice; the text around it stays.
    const paragraphs = tree.children.filter((n) => n.type === 'paragraph').map((n) => JSON.stringify(n));
    expect(paragraphs.some((p) => p.includes('Figure 17-3: What Flagger asks'))).toBe(false);
    expect(paragraphs.some((p) => p.includes('nothing else.'))).toBe(true);
  });

  it('takes every drawing from the cache the second time, and keeps a diagram mermaid refuses as code with a message', async () => {
    const text = readFileSync(path.join(dir, CHAPTER), 'utf8');
    expect((await transform(text)).stats).toEqual([{ diagrams: 2, rendered: 0, cached: 2, failed: 0 }]);
    const broken = await transform('# Broken\n\n```mermaid\nflowchart LR\n  A --> --> B\n```\n');
    expect(broken.tree.children.some((n) => n.type === 'code' && n.lang === 'mermaid')).toBe(true);
    expect(broken.file.messages.map((m) => [m.line, m.ruleId])).toEqual([[3, 'diagram-render']]);
  });
});
