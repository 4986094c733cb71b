/**
 * `bookrun status` cost on the example book with a CI-sized reports folder, as a ratio to planning the
 * book, measured in the same process.
 *
 * - "status" = readStatus: parse every chapter, lint its headings, generate its gist and compare it with
 *   gists/, read and check every report (20 runs × every chapter × every variant, each report with 40
 *   steps of 2 KB output), derive every item;
 * - "plan"   = parse every chapter and plan it for every variant of the matrix.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readBook } from '../../src/book/read-book.ts';
import { shSyntaxParser } from '../../src/book/sh-syntax-parser.ts';
import { listVariants } from '../../src/core/book-config.ts';
import { parseChapter } from '../../src/core/parse-chapter.ts';
import { planChapter } from '../../src/core/plan-chapter.ts';
import { chapterSha256, readStatus } from '../../src/status/read-status.ts';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function timeAsync(fn: () => Promise<unknown>, repeat: number): Promise<number> {
  await fn();
  const t = performance.now();
  for (let i = 0; i < repeat; i++) await fn();
  return (performance.now() - t) / repeat;
}

export default async function bench(): Promise<void> {
  const book = await readBook({ cwd: root });
  const variants = listVariants(book.config);
  const reports = mkdtempSync(path.join(tmpdir(), 'bookrun-status-bench-'));
  let count = 0;
  try {
    for (const [i, file] of book.chapterPaths.entries()) {
      const key = book.config.chapters[i]!;
      const sha256 = chapterSha256(readFileSync(file, 'utf8'));
      for (const variant of variants) {
        const dir = path.join(reports, path.basename(key, '.md'), variant.name);
        mkdirSync(dir, { recursive: true });
        for (let run = 0; run < 20; run++) {
          const startedAt = new Date(Date.UTC(2026, 10, 1, 0, run)).toISOString();
          const steps = Array.from({ length: 40 }, (_, s) => ({ id: `L${s + 10}`, line: s + 10, terminal: 1, command: 'kubectl get pods', status: 'passed', exitCode: 0, attempts: 1, durationMs: 12, output: 'x'.repeat(2048), expect: null }));
          const report = { version: 1, chapter: { title: key, file: key, sha256 }, variant, status: run % 3 ? 'passed' : 'failed', startedAt, durationMs: 1000, steps };
          writeFileSync(path.join(dir, `${startedAt.replace(/:/g, '-')}.json`), JSON.stringify(report));
          count++;
        }
      }
    }
    const status = await timeAsync(() => readStatus({ cwd: root, reports }), 5);
    const plan = await timeAsync(async () => {
      for (const [i, file] of book.chapterPaths.entries()) {
        const chapter = await parseChapter(readFileSync(file, 'utf8'), { file: book.config.chapters[i]!, config: book.config, shell: shSyntaxParser });
        for (const variant of variants) planChapter(chapter, variant, book.config);
      }
    }, 5);
    const noReports = mkdtempSync(path.join(tmpdir(), 'bookrun-status-bench-empty-'));
    const bare = await timeAsync(() => readStatus({ cwd: root, reports: noReports }), 5);
    rmSync(noReports, { recursive: true, force: true });
    console.log(`chapters: ${book.chapterPaths.length}, variants: ${variants.length}, reports: ${count} (${(count * 85) / 1024 | 0} MB of JSON)`);
    console.log(`plan every chapter × variant: ${plan.toFixed(1)} ms`);
    console.log(`status, no reports:           ${bare.toFixed(1)} ms  (${(bare / plan).toFixed(2)}× plan)`);
    console.log(`status, ${count} reports:       ${status.toFixed(1)} ms  (${(status / plan).toFixed(2)}× plan; ${((status - bare) / count).toFixed(3)} ms per report)`);
  } finally {
    rmSync(reports, { recursive: true, force: true });
  }
}
