/**
 * Diagrams are drawn once: exporting an unchanged book again draws nothing (every diagram a cache hit, and no
 * browser started), measured on a copy of the diagrams fixture book with extra diagrams, in the same process:
 *
 * - "cold"     = the Leanpub export (toManuscript + writeManuscript) with an empty `.bookrun/diagrams/`;
 * - "warm"     = the same export again, unchanged: counted draws and browser starts must be 0;
 * - "baseline" = the same export with the diagrams taken out of the chapters (what the export costs without
 *   them), so "warm vs baseline" is what the cache costs.
 * One diagram changed afterwards is drawn alone (1 draw, the rest hits).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWriteGuard } from '../../src/book/create-write-guard.ts';
import { readBook } from '../../src/book/read-book.ts';
import { readBookChapter } from '../../src/book/read-book-chapter.ts';
import { openDiagramCache } from '../../src/diagrams/open-diagram-cache.ts';
import type { RenderStats } from '../../src/diagrams/render-diagrams.ts';
import { spawnDiagramRenderer } from '../../src/diagrams/spawn-diagram-renderer.ts';
import { toManuscript } from '../../src/export/to-manuscript.ts';
import { writeManuscript } from '../../src/export/write-manuscript.ts';
import { copyFixture } from '../../src/testing/copy-fixture.ts';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../src/diagrams/fixtures/book');
const CHAPTER = 'docs/17-visualizing-the-rollout.md';
const EXTRA = 10;

/** The fixture chapter with EXTRA more diagrams (flowcharts and sequences of different sizes). */
function withMoreDiagrams(text: string): string {
  const extra = Array.from({ length: EXTRA }, (_, i) =>
    i % 2 === 0
      ? `\n{caption: "Step ${i + 1} of the rollout"}\n\`\`\`mermaid\nflowchart LR\n  s${i}[Weight ${i * 10}%] --> c${i}{Healthy?}\n  c${i} -->|yes| n${i}[Weight ${i * 10 + 10}%]\n  c${i} -->|no| r${i}[Roll back]\n\`\`\`\n`
      : `\n\`\`\`mermaid\nsequenceDiagram\n  Flagger->>Prometheus: query ${i}\n  Prometheus-->>Flagger: ok\n  Flagger->>Istio: weight ${i * 10}\n\`\`\`\n\nFigure 17-${i + 6}: Round ${i + 1}\n`,
  );
  return text.replace('## What Now?', `## More Steps\n${extra.join('')}\n## What Now?`);
}

export default async function bench(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bookrun-diagrams-bench-'));
  try {
    copyFixture(fixture, dir);
    const file = path.join(dir, CHAPTER);
    const original = withMoreDiagrams(readFileSync(file, 'utf8'));
    writeFileSync(file, original);
    const book = await readBook({ cwd: dir });
    let starts = 0;
    const spawn = async () => {
      starts++;
      return spawnDiagramRenderer();
    };
    const exportOnce = async (text: string): Promise<{ ms: number; stats: RenderStats | null }> => {
      writeFileSync(file, text);
      const t = performance.now();
      const opened = await readBookChapter(book, file, CHAPTER);
      const manuscript = toManuscript([{ chapter: opened.chapter, key: CHAPTER, matter: 'main' }], book.config, { format: 'lfm' });
      const guard = createWriteGuard(book);
      const out = await guard.openFolder(path.join(dir, 'publish/leanpub'), { flag: '--out' });
      const written = await writeManuscript(manuscript, book.root, out, { diagrams: await openDiagramCache(book.root, guard), spawn });
      return { ms: performance.now() - t, stats: written.diagrams };
    };

    const cold = await exportOnce(original);
    const coldStarts = starts;
    const warm: number[] = [];
    let warmStats: RenderStats | null = null;
    for (let i = 0; i < 5; i++) {
      const run = await exportOnce(original);
      warm.push(run.ms);
      warmStats = run.stats;
    }
    const warmStarts = starts - coldStarts;
    // The same export with no diagram at all (each fence turned into a plain text block).
    const plain = original.replace(/```mermaid/g, '```text');
    const baseline: number[] = [];
    for (let i = 0; i < 5; i++) baseline.push((await exportOnce(plain)).ms);
    const changed = await exportOnce(original.replace('[Roll back]', '[Roll back now]'));

    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const n = cold.stats?.diagrams ?? 0;
    console.log(`book: 1 chapter, ${n} diagrams (${path.relative(process.cwd(), fixture)} + ${EXTRA} more)`);
    console.log(`cold export: ${cold.stats?.rendered} drawn, ${cold.stats?.cached} from the cache, ${coldStarts} browser start(s), ${cold.ms.toFixed(0)} ms`);
    const ok = warmStats?.rendered === 0 && warmStats.cached === n && warmStarts === 0;
    console.log(`second export, unchanged: ${warmStats?.rendered} drawn, ${warmStats?.cached} cache hits, ${warmStarts} browser starts, ${median(warm).toFixed(1)} ms: ${ok ? 'ok' : 'DREW AGAIN'}`);
    console.log(`second export vs cold: ${(median(warm) / cold.ms).toFixed(3)}× (${(cold.ms / median(warm)).toFixed(0)} times faster)`);
    console.log(`second export vs the same export without diagrams: ${(median(warm) / median(baseline)).toFixed(2)}× (${median(baseline).toFixed(1)} ms)`);
    console.log(`one diagram changed: ${changed.stats?.rendered} drawn, ${changed.stats?.cached} cache hits, ${changed.ms.toFixed(0)} ms`);
    if (!ok) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
