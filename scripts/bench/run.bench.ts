/**
 * `bookrun run` overhead: 1,000 trivial steps through `bookrun run` (the CLI, real pty, real bash) vs the
 * same 1,000 commands as a plain `bash` script, vs txm (a process-per-example runner, from npm) on 50
 * steps, all measured in this process. Fixed start-up costs are taken out by also timing a 1-step run of
 * each, so the numbers are per step. Goals (issue 4): ≤ 1 ms added per step over bash, ≥ 20× faster than txm.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin', 'bookrun.mjs');
const txm = path.join(root, 'node_modules', 'txm', 'src', 'cli.js');

function chapter(steps: number): string {
  const commands = Array.from({ length: steps }, () => 'X=$((X+1))').join('\n\n');
  return `# Counting\n\nWe count, one command at a time.\n\n\`\`\`bash\nX=0\n\n${commands}\n\`\`\`\n`;
}

function txmDoc(steps: number): string {
  const parts = ['# Counting', '', '<!-- !test program bash -->', ''];
  for (let i = 0; i < steps; i += 1) {
    parts.push(`<!-- !test in step ${i} -->`, '', '```bash', `X=$((${i}+1)); echo $X`, '```', '', `<!-- !test out step ${i} -->`, '', '```', String(i + 1), '```', '');
  }
  return parts.join('\n');
}

function timed(command: string, args: string[], cwd: string): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`);
  return ms;
}

/** The best of `runs` timings: the least disturbed by the other work on the machine. */
function best(runs: number, fn: () => number): number {
  let min = Infinity;
  for (let i = 0; i < runs; i += 1) min = Math.min(min, fn());
  return min;
}

export default async function bench(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bookrun-bench-run-'));
  try {
    writeFileSync(path.join(dir, 'bookrun.yaml'), 'title: Bench\nchapters: [many.md, one.md]\nvariants:\n  dimensions:\n    cloud: [local]\n');
    const N = 1000;
    const T = 50;
    writeFileSync(path.join(dir, 'many.md'), chapter(N));
    writeFileSync(path.join(dir, 'one.md'), chapter(1));
    writeFileSync(path.join(dir, 'many.sh'), `X=0\n${Array.from({ length: N }, () => 'X=$((X+1))').join('\n')}\n`);
    writeFileSync(path.join(dir, 'one.sh'), 'X=0\nX=$((X+1))\n');
    writeFileSync(path.join(dir, 'many.txm.md'), txmDoc(T));
    writeFileSync(path.join(dir, 'one.txm.md'), txmDoc(1));
    const run = (file: string) => () => timed(process.execPath, [bin, 'run', file, '--variant', 'local', '--no-save-report', '--cwd', dir], dir);

    const bookrunMany = best(3, run('many.md'));
    const bookrunOne = best(3, run('one.md'));
    const bashMany = best(10, () => timed('bash', ['many.sh'], dir));
    const bashOne = best(10, () => timed('bash', ['one.sh'], dir));
    const txmMany = best(2, () => timed(process.execPath, [txm, '--jobs', '1', 'many.txm.md'], dir));
    const txmOne = best(2, () => timed(process.execPath, [txm, '--jobs', '1', 'one.txm.md'], dir));

    // The share of reading and planning the chapter (parse-chapter.ts, plan-chapter.ts): the same two
    // chapters through `bookrun plan --json`, which reads and plans exactly as `bookrun run` does.
    const plan = (file: string) => () => timed(process.execPath, [bin, 'plan', file, '--variant', 'local', '--json'], dir);
    const planMany = best(3, plan('many.md'));
    const planOne = best(3, plan('one.md'));
    const perStepParse = (planMany - planOne) / N;

    // Steps in the chapter: X=0 plus N (or 1) counting steps.
    const perStepBookrun = (bookrunMany - bookrunOne) / N;
    // bash's own time per trivial command is a few microseconds: keep it positive when noise wins.
    const perStepBash = Math.max((bashMany - bashOne) / N, 0.0001);
    const perStepTxm = (txmMany - txmOne) / (T - 1);
    const added = perStepBookrun - perStepBash;
    console.log(`bookrun run: ${N} steps ${bookrunMany.toFixed(0)} ms, 1 step ${bookrunOne.toFixed(0)} ms (start-up) → ${perStepBookrun.toFixed(3)} ms/step`);
    console.log(`bash script: ${N} commands ${bashMany.toFixed(1)} ms, 1 command ${bashOne.toFixed(1)} ms → ${perStepBash.toFixed(4)} ms/step`);
    console.log(`txm --jobs 1: ${T} steps ${txmMany.toFixed(0)} ms, 1 step ${txmOne.toFixed(0)} ms → ${perStepTxm.toFixed(2)} ms/step`);
    console.log(`  of which reading and planning the chapter (bookrun plan): ${perStepParse.toFixed(3)} ms/step; running it: ${(perStepBookrun - perStepParse).toFixed(3)} ms/step`);
    console.log(`added per step over bash: ${added.toFixed(3)} ms (goal ≤ 1 ms) ${added <= 1 ? 'OK' : 'MISSED'}`);
    console.log(`bookrun run / bash per step: ${(perStepBookrun / perStepBash).toFixed(1)}×`);
    console.log(`txm / bookrun run per step: ${(perStepTxm / perStepBookrun).toFixed(1)}× faster (goal ≥ 20×) ${perStepTxm / perStepBookrun >= 20 ? 'OK' : 'MISSED'}`);
    console.log(`txm / running alone (without reading and planning): ${(perStepTxm / (perStepBookrun - perStepParse)).toFixed(1)}×`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
