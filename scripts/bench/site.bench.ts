/**
 * The site build with and without the bookrun remark plugin on the same docs (the example book in
 * bookrun.yaml), without bundler cache, alternating so both see the same machine load. Goal: ≤ 1.10×.
 * Also the plugin's own work per chapter (parse + plan for every variant + tree transform) against
 * remark-parse of the same text, the part of the build it adds to.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Root } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { VFile } from 'vfile';
import { readBook } from '../../src/book/read-book.ts';
import { parseChapter } from '../../src/core/parse-chapter.ts';
import { shSyntaxParser } from '../../src/book/sh-syntax-parser.ts';
import remarkBookrun from '../../src/site/remark-bookrun.ts';
import { buildSite } from '../../src/site/build-site.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const config = path.join(root, 'bookrun.yaml');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timeBuild(plugin: boolean): Promise<number> {
  const start = performance.now();
  const out = await buildSite({ config, plugin });
  const ms = performance.now() - start;
  rmSync(out, { recursive: true, force: true });
  return ms;
}

export default async function siteBench(): Promise<void> {
  // Plugin work alone, in process.
  const book = await readBook({ config });
  const markdown = unified().use(remarkParse).use(remarkGfm);
  let parseMs = 0;
  let pluginMs = 0;
  const rounds = 20;
  for (const file of book.chapterPaths) {
    const text = readFileSync(file, 'utf8');
    const key = path.relative(book.root, file);
    for (let i = 0; i < rounds; i++) {
      let t = performance.now();
      const tree = markdown.parse(text) as Root;
      parseMs += performance.now() - t;
      const transform = remarkBookrun({
        config: book.config,
        root: book.root,
        dev: false,
        parse: (source, k) => parseChapter(source, { file: k, config: book.config, shell: shSyntaxParser }),
      });
      t = performance.now();
      await transform(tree, new VFile({ path: path.join(book.root, key), value: text }));
      pluginMs += performance.now() - t;
    }
  }
  console.log(`plugin work per chapter: ${(pluginMs / rounds / book.chapterPaths.length).toFixed(1)} ms (${(pluginMs / parseMs).toFixed(2)}× remark-parse of the same text)`);

  // Whole builds, alternating.
  const without: number[] = [];
  const withPlugin: number[] = [];
  await timeBuild(true); // warm-up: the first build pays for loading the toolchain from disk
  for (let i = 0; i < 3; i++) {
    without.push(await timeBuild(false));
    withPlugin.push(await timeBuild(true));
  }
  const a = median(without);
  const b = median(withPlugin);
  console.log(`site build, ${book.chapterPaths.length} chapters, no cache: without plugin ${(a / 1000).toFixed(1)} s, with ${(b / 1000).toFixed(1)} s`);
  console.log(`ratio with/without bookrun plugin: ${(b / a).toFixed(2)}× (goal ≤ 1.10×)`);
}
