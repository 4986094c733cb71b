/**
 * Publishing cost: gists + Leanpub manuscript for the whole example book, as a ratio to planning it,
 * measured in the same process. Goal: ≤ 1.2×.
 *
 * - "publish" = parse every chapter, write its gist (`toGist`) and the manuscript (`toManuscript`, LFM);
 * - "plan"    = parse every chapter and plan it for the default variant (what `bookrun plan` does).
 * Both include the parse, which dominates; the second line compares the publishing work alone with
 * planning every variant of the matrix. No shell is spawned (lint's bash -n/ShellCheck are not part of it).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { shSyntaxParser } from '../../src/book/sh-syntax-parser.ts';
import { listVariants, parseBookConfig } from '../../src/core/book-config.ts';
import type { Chapter } from '../../src/core/model.ts';
import { parseChapter } from '../../src/core/parse-chapter.ts';
import { planChapter } from '../../src/core/plan-chapter.ts';
import { toGist } from '../../src/export/to-gist.ts';
import { toManuscript } from '../../src/export/to-manuscript.ts';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(fn: () => unknown, repeat: number): number {
  const t = performance.now();
  for (let i = 0; i < repeat; i++) fn();
  return (performance.now() - t) / repeat;
}

async function timeAsync(fn: () => Promise<unknown>, repeat: number): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < repeat; i++) await fn();
  return (performance.now() - t) / repeat;
}

export default async function bench(): Promise<void> {
  // The example book; the publishing fixture book when the example chapters are not written yet.
  let bookDir = root;
  let config = parseBookConfig(parseYaml(readFileSync(path.join(root, 'bookrun.yaml'), 'utf8')), 'bookrun.yaml');
  let keys = config.chapters.filter((c) => existsSync(path.join(root, c)));
  if (keys.length === 0) {
    bookDir = path.join(root, 'src/export/fixtures/book');
    config = parseBookConfig(parseYaml(readFileSync(path.join(bookDir, 'bookrun.yaml'), 'utf8')), 'bookrun.yaml');
    keys = config.chapters;
  }
  const texts = keys.map((k) => ({ key: k, text: readFileSync(path.join(bookDir, k), 'utf8') }));
  const variants = listVariants(config);
  const variant = variants.find((v) => v.name === config.defaultVariant) ?? variants[0]!;
  const parseAll = () => Promise.all(texts.map((t) => parseChapter(t.text, { file: t.key, config, shell: shSyntaxParser })));
  const publish = (chapters: Chapter[]) => {
    for (const chapter of chapters) toGist(chapter, config);
    toManuscript(chapters.map((chapter, i) => ({ chapter, key: texts[i]!.key, matter: 'main' as const })), config, { format: 'lfm' });
  };
  const plan = (chapters: Chapter[], all: boolean) => {
    for (const chapter of chapters) for (const v of all ? variants : [variant]) planChapter(chapter, v, config);
  };

  const parsed = await parseAll();
  const repeat = 20;
  // Warm up (JIT, WASM compile).
  await timeAsync(async () => plan(await parseAll(), false), 3);
  await timeAsync(async () => publish(await parseAll()), 3);
  const planMs: number[] = [];
  const publishMs: number[] = [];
  const planAllMs: number[] = [];
  const publishOnlyMs: number[] = [];
  for (let round = 0; round < 12; round++) {
    // Alternate which goes first so neither always pays for the other's garbage.
    if (round % 2 === 0) {
      planMs.push(await timeAsync(async () => plan(await parseAll(), false), repeat));
      publishMs.push(await timeAsync(async () => publish(await parseAll()), repeat));
    } else {
      publishMs.push(await timeAsync(async () => publish(await parseAll()), repeat));
      planMs.push(await timeAsync(async () => plan(await parseAll(), false), repeat));
    }
    planAllMs.push(time(() => plan(parsed, true), repeat * 5));
    publishOnlyMs.push(time(() => publish(parsed), repeat * 5));
  }
  const steps = parsed.reduce((n, c) => n + c.steps.length, 0);
  const bytes = texts.reduce((n, t) => n + t.text.length, 0);
  console.log(`book: ${keys.length} chapters (${(bytes / 1024).toFixed(1)} KiB, ${steps} steps) from ${path.relative(root, bookDir) || '.'}/bookrun.yaml`);
  const ratio = median(publishMs) / median(planMs);
  console.log(
    `publish (parse + gists + manuscript) ${median(publishMs).toFixed(2)} ms vs plan (parse + plan ${variant.name}) ${median(planMs).toFixed(2)} ms: ${ratio.toFixed(2)}× (goal ≤ 1.2×) ${ratio <= 1.2 ? 'ok' : 'OVER'}`,
  );
  console.log(
    `gists + manuscript alone ${median(publishOnlyMs).toFixed(3)} ms vs planning all ${variants.length} variants ${median(planAllMs).toFixed(3)} ms: ${(median(publishOnlyMs) / median(planAllMs)).toFixed(2)}×`,
  );
}
