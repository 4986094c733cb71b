/**
 * Issue 10's speed goals, each as a ratio measured in this run, with bookrun as users run it: the compiled
 * package (built here with scripts/build-package.ts into node_modules/.cache/bookrun-bench/package, the
 * layout of node_modules/bookrun), each command a whole process.
 *
 * 1. `bookrun plan` of one 35 KB chapter ≤ 1.3× a bare `node` that imports remark-parse and parses that file
 *    (the chapter cache emptied before every run: a first plan; a cached plan is printed beside it).
 * 2. A 20-chapter ~1 MB book: each whole-book command (`plan --variant all`, `gists --all`, `export leanpub`,
 *    `lint --no-shell`, `status`) ≤ 2× `plan` of the whole book, all from an empty cache.
 * 3. Re-planning that book after one chapter changed ≤ 0.1× planning it from an empty cache.
 * 4. Its site build with the bookrun plugin ≤ 1.10× without it.
 *
 * bookrun keeps V8's code for its parser in the user's cache folder after a first command (see
 * src/book/load-parse-chapter.ts); here that folder is the bench's own (XDG_CACHE_HOME), filled by the first,
 * untimed command, as an author's is after their first command. "Empty cache" means the book's `.bookrun/`.
 *
 * Every command runs without `NODE_EXTRA_CA_CERTS` when the machine sets it (CI machines behind a TLS proxy do):
 * Node 20 reads and adds those certificates as every process starts, before any of bookrun's code runs
 * (nodejs/node#40524; later Node loads them only once TLS is used, nodejs/node#59856), which costs a bare
 * `node` some 40 ms on such a machine: a constant that is the machine's, not bookrun's, and would hide what the
 * cache saves. None of these commands opens a TLS connection. The bench prints that cost, and the re-plan ratio
 * with the variable kept, beside the verdicts.
 *
 * `npm run bench -- book`; `BENCH_ROUNDS=N` changes the rounds (default 9 for 1, 7 for 2 and 3, 5 for 4: a shared
 * 2-core machine varies a run by ±10%, and the ratios are of medians).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPackage } from '../build-package.ts';
import { makeBenchBook } from './make-bench-book.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const rounds = (n: number) => Number(process.env.BENCH_ROUNDS ?? n);
/** The user's cache folder of every command the bench runs (bookrun keeps its parser's compiled code there). */
const userCache = mkdtempSync(path.join(os.tmpdir(), 'bookrun-bench-user-cache-'));

/** The machine's environment without `NODE_EXTRA_CA_CERTS` (see the header), and the variable's value when set. */
const { NODE_EXTRA_CA_CERTS: extraCaCerts, ...cleanEnv } = process.env;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** CPU time of this process's finished children, in ms (Linux: /proc/self/stat cutime + cstime), or null. */
function childrenCpu(): number | null {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return null;
  }
}

interface Timing {
  wall: number;
  cpu: number | null;
}

/**
 * Runs a whole process and times it (wall clock, and CPU when the system says). Fails loudly on a non-zero exit.
 * `machineEnv`: with the machine's `NODE_EXTRA_CA_CERTS` (see the header).
 */
function time(argv: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; ok?: number[]; machineEnv?: boolean }): Timing {
  const cpu0 = childrenCpu();
  const t = performance.now();
  const base = options.machineEnv ? process.env : cleanEnv;
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd: options.cwd, env: { ...base, NO_COLOR: '1', XDG_CACHE_HOME: userCache, ...options.env }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const wall = performance.now() - t;
  const cpu1 = childrenCpu();
  if (!(options.ok ?? [0]).includes(r.status ?? -1)) throw new Error(`${argv.join(' ')} exited ${r.status}:\n${(r.stderr || r.stdout).slice(-2000)}`);
  return { wall, cpu: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0 };
}

function summary(ts: Timing[]): { wall: number; cpu: number | null } {
  const cpus = ts.map((t) => t.cpu).filter((c): c is number => c !== null);
  return { wall: median(ts.map((t) => t.wall)), cpu: cpus.length === ts.length ? median(cpus) : null };
}

function show(label: string, t: { wall: number; cpu: number | null }): string {
  return `${label.padEnd(34)} ${t.wall.toFixed(0).padStart(6)} ms wall${t.cpu === null ? '' : `, ${t.cpu.toFixed(0).padStart(6)} ms CPU`}`;
}

function verdict(ratio: number, goal: number): string {
  return ratio <= goal ? 'met' : 'MISSED';
}

/** The compiled package, laid out as node_modules/bookrun is (its dependencies found in the repository's node_modules). */
async function preparePackage(): Promise<string> {
  const pkg = path.join(root, 'node_modules', '.cache', 'bookrun-bench', 'package');
  rmSync(pkg, { recursive: true, force: true });
  mkdirSync(pkg, { recursive: true });
  const built = await buildPackage(path.join(pkg, 'dist'));
  if (!built.ok) throw new Error(`build-package failed: ${built.message}`);
  cpSync(path.join(root, 'bin'), path.join(pkg, 'bin'), { recursive: true });
  cpSync(path.join(root, 'package.json'), path.join(pkg, 'package.json'));
  // The bare baseline sits there too, so it finds remark-parse the way the package does.
  writeFileSync(
    path.join(pkg, 'bare-parse.mjs'),
    "import { readFileSync } from 'node:fs';\nimport { unified } from 'unified';\nimport remarkParse from 'remark-parse';\nunified().use(remarkParse).parse(readFileSync(process.argv[2], 'utf8'));\n",
  );
  return pkg;
}

export default async function bench(): Promise<void> {
  const pkg = await preparePackage();
  const bookrun = [process.execPath, path.join(pkg, 'bin', 'bookrun.mjs')];
  const results: string[] = [];
  const cleanup: string[] = [userCache];
  try {
    // 1. One 35 KB chapter.
    const one = makeBenchBook({ chapters: 1, bytes: 35_000 });
    cleanup.push(one);
    const chapter = path.join(one, 'manuscript', '01-chapter-1.md');
    const bare: Timing[] = [];
    const cold: Timing[] = [];
    const warm: Timing[] = [];
    time([...bookrun, 'plan', chapter], { cwd: one }); // warm the disk cache for both
    for (let i = 0; i < rounds(9); i++) {
      bare.push(time([process.execPath, path.join(pkg, 'bare-parse.mjs'), chapter], { cwd: one }));
      rmSync(path.join(one, '.bookrun'), { recursive: true, force: true });
      cold.push(time([...bookrun, 'plan', chapter], { cwd: one }));
      warm.push(time([...bookrun, 'plan', chapter], { cwd: one }));
    }
    const size = readFileSync(chapter).length;
    const b = summary(bare);
    const c = summary(cold);
    const w = summary(warm);
    console.log(`one chapter: ${(size / 1024).toFixed(1)} KiB`);
    console.log(show('node + remark-parse (bare)', b));
    console.log(show('bookrun plan (empty cache)', c));
    console.log(show('bookrun plan (cached)', w));
    const r1 = c.wall / b.wall;
    results.push(`plan of one ${(size / 1024).toFixed(0)} KiB chapter / bare remark-parse: ${r1.toFixed(2)}× wall${c.cpu && b.cpu ? `, ${(c.cpu / b.cpu).toFixed(2)}× CPU` : ''} (goal ≤ 1.30×) ${verdict(r1, 1.3)}; cached ${(w.wall / b.wall).toFixed(2)}×`);

    // 2. and 3. The 20-chapter book.
    const book = makeBenchBook({ chapters: 20, bytes: 50_000 });
    cleanup.push(book);
    const outs = mkdtempSync(path.join(os.tmpdir(), 'bookrun-bench-out-'));
    cleanup.push(outs);
    const fresh = () => rmSync(path.join(book, '.bookrun'), { recursive: true, force: true });
    const commands: Array<{ label: string; args: string[]; ok?: number[] }> = [
      { label: 'plan (whole book)', args: ['plan'] },
      { label: 'plan --variant all', args: ['plan', '--variant', 'all'] },
      { label: 'gists --all', args: ['gists', '--all', '--out', path.join(outs, 'gists')] },
      { label: 'export leanpub --draft', args: ['export', 'leanpub', '--draft', '--out', path.join(outs, 'leanpub')], ok: [0, 1] },
      { label: 'lint --no-shell', args: ['lint', '--no-shell'], ok: [0, 1] },
      { label: 'status', args: ['status'] },
    ];
    const timings = commands.map(() => [] as Timing[]);
    const replan: Timing[] = [];
    // With the machine's NODE_EXTRA_CA_CERTS, when it sets one: a cold plan and a re-plan, and a bare node.
    const machine = { cold: [] as Timing[], replan: [] as Timing[], bare: [] as Timing[], cleanBare: [] as Timing[] };
    const chapter7 = path.join(book, 'manuscript', '07-chapter-7.md');
    const original = readFileSync(chapter7, 'utf8');
    for (const c of commands) {
      fresh();
      time([...bookrun, ...c.args], { cwd: book, ok: c.ok });
    }
    for (let i = 0; i < rounds(7); i++) {
      commands.forEach((c, k) => {
        fresh();
        timings[k]!.push(time([...bookrun, ...c.args], { cwd: book, ok: c.ok }));
      });
      // Re-planning: the cache holds the book; one chapter changes.
      fresh();
      time([...bookrun, 'plan'], { cwd: book });
      appendFileSync(chapter7, `\nOne more sentence, written in round ${i}.\n`);
      replan.push(time([...bookrun, 'plan'], { cwd: book }));
      writeFileSync(chapter7, original);
      if (extraCaCerts !== undefined) {
        fresh();
        machine.cold.push(time([...bookrun, 'plan'], { cwd: book, machineEnv: true }));
        appendFileSync(chapter7, `\nOne more sentence, written in round ${i} (the machine's environment).\n`);
        machine.replan.push(time([...bookrun, 'plan'], { cwd: book, machineEnv: true }));
        writeFileSync(chapter7, original);
        machine.bare.push(time([process.execPath, '-e', '0'], { cwd: book, machineEnv: true }));
        machine.cleanBare.push(time([process.execPath, '-e', '0'], { cwd: book }));
      }
    }
    const sums = timings.map(summary);
    const base = sums[0]!;
    const bytes = Array.from({ length: 20 }, (_, i) => readFileSync(path.join(book, 'manuscript', `${String(i + 1).padStart(2, '0')}-chapter-${i + 1}.md`)).length).reduce((a, n) => a + n, 0);
    console.log(`\nbook: 20 chapters, ${(bytes / 1e6).toFixed(2)} MB, in Book.txt; every command from an empty cache`);
    commands.forEach((c, k) => console.log(`${show(c.label, sums[k]!)}   ${k === 0 ? '(baseline)' : `${(sums[k]!.wall / base.wall).toFixed(2)}×`}`));
    for (const [k, c] of commands.entries()) {
      if (k === 0) continue;
      const r = sums[k]!.wall / base.wall;
      results.push(`${c.label} / plan of the whole book: ${r.toFixed(2)}× (goal ≤ 2.00×) ${verdict(r, 2)}`);
    }
    const rp = summary(replan);
    console.log(show('plan after one chapter changed', rp));
    const r3 = rp.wall / base.wall;
    results.push(`re-plan after one chapter changed / plan from an empty cache: ${r3.toFixed(3)}× (goal ≤ 0.10×) ${verdict(r3, 0.1)}`);
    if (extraCaCerts !== undefined) {
      const [mc, mr, mb, cb] = [machine.cold, machine.replan, machine.bare, machine.cleanBare].map(summary) as [Timing, Timing, Timing, Timing];
      console.log(`\nthis machine sets NODE_EXTRA_CA_CERTS: a bare node process takes ${mb.wall.toFixed(0)} ms with it, ${cb.wall.toFixed(0)} ms without (every command above ran without it)`);
      console.log(show('plan (whole book), with it', mc));
      console.log(show('plan after one change, with it', mr));
      results.push(`(with this machine's NODE_EXTRA_CA_CERTS, +${(mb.wall - cb.wall).toFixed(0)} ms per process: re-plan / cold plan ${(mr.wall / mc.wall).toFixed(3)}×)`);
    }

    // 4. The site of that book, with and without the plugin.
    const withPlugin: Timing[] = [];
    const without: Timing[] = [];
    const site = (plugin: boolean) => time([...bookrun, 'build', '--out', path.join(outs, `site-${plugin ? 'on' : 'off'}`)], { cwd: book, env: { BOOKRUN_SITE_PLUGIN: plugin ? 'on' : 'off' } });
    site(true); // warm-up: the first build loads the toolchain from disk
    for (let i = 0; i < rounds(5); i++) {
      fresh();
      without.push(site(false));
      fresh();
      withPlugin.push(site(true));
    }
    const sOff = summary(without);
    const sOn = summary(withPlugin);
    console.log(show('\nsite build without the plugin', sOff));
    console.log(show('site build with the plugin', sOn));
    const r4 = sOn.wall / sOff.wall;
    results.push(`site build with / without the plugin: ${r4.toFixed(2)}× (goal ≤ 1.10×) ${verdict(r4, 1.1)}`);
  } finally {
    for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nload average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.availableParallelism()} cores`);
  for (const line of results) console.log(line);
}
