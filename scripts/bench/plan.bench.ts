/**
 * Plan time for a ~1 MB book (the example chapters repeated) as a ratio to bare remark-parse of the
 * same text, measured in the same process. Goal: ≤ 1.3×.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { shSyntaxParser } from '../../src/book/sh-syntax-parser.ts';
import { parseBookConfig, listVariants } from '../../src/core/book-config.ts';
import { parseChapter } from '../../src/core/parse-chapter.ts';
import { planChapter } from '../../src/core/plan-chapter.ts';
import { parse as parseYaml } from 'yaml';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export default async function bench(): Promise<void> {
  const config = parseBookConfig(parseYaml(readFileSync(path.join(root, 'bookrun.yaml'), 'utf8')), 'bookrun.yaml');
  const chapters = config.chapters
    .map((c) => path.join(root, c))
    .map((f) => {
      try {
        return readFileSync(f, 'utf8');
      } catch {
        return '';
      }
    })
    .filter(Boolean);
  const unit = chapters.join('\n\n');
  const copies = Math.ceil(1_000_000 / unit.length);
  const text = Array.from({ length: copies }, () => unit).join('\n\n');
  const variant = listVariants(config)[0]!;
  const processor = unified().use(remarkParse);

  const parseOnly = () => {
    const t = performance.now();
    processor.parse(text);
    return performance.now() - t;
  };
  const planAll = async () => {
    const t = performance.now();
    const chapter = await parseChapter(text, { file: 'book.md', config, shell: shSyntaxParser });
    planChapter(chapter, variant, config);
    return { ms: performance.now() - t, steps: chapter.steps.length };
  };
  // Warm up both (JIT, WASM compile).
  parseOnly();
  await planAll();
  const base: number[] = [];
  const ours: number[] = [];
  let steps = 0;
  for (let i = 0; i < 5; i++) {
    base.push(parseOnly());
    const r = await planAll();
    ours.push(r.ms);
    steps = r.steps;
  }
  const b = median(base);
  const o = median(ours);
  console.log(`book: ${(text.length / 1e6).toFixed(2)} MB (${copies} copies of ${chapters.length} chapters), ${steps} steps`);
  console.log(`remark-parse: ${b.toFixed(0)} ms   parse+plan: ${o.toFixed(0)} ms`);
  console.log(`plan / remark-parse ratio: ${(o / b).toFixed(2)}x   (goal <= 1.30x)`);
}
