import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openOutputFolder } from '../book/open-output-folder.ts';
import { readBook, readChapter } from '../book/read-book.ts';
import { resolveVariant } from '../core/book-config.ts';
import { planChapter } from '../core/plan-chapter.ts';
import { runChapter, type RunChapterOptions } from './run-chapter.ts';
import type { RunEvent, RunReport } from './run-events.ts';
import { processGroupGone } from './list-processes.ts';
import { copyFixture } from '../testing/copy-fixture.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh copy of the fixture book, so runs never write into the repository. */
function book(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bookrun-run-'));
  dirs.push(dir);
  copyFixture(fixtures, dir);
  return dir;
}

async function run(
  chapter: string,
  variant = 'gke-static',
  extra: Partial<RunChapterOptions> = {},
): Promise<{ report: RunReport; events: RunEvent[]; dir: string }> {
  const dir = book();
  const b = await readBook({ config: path.join(dir, 'bookrun.yaml') });
  const parsed = await readChapter(b, path.join(dir, chapter), chapter);
  const lookup = resolveVariant(b.config, variant);
  if (!lookup.ok) throw new Error(lookup.message);
  const events: RunEvent[] = [];
  const report = await runChapter({
    plan: planChapter(parsed, lookup.variant, b.config),
    chapter: { title: parsed.title, file: chapter, sha256: 'test' },
    cwd: dir,
    values: {},
    watchTimeoutMs: 60_000,
    stepTimeoutMs: 60_000,
    waitTimeoutMs: 60_000,
    retry: { attempts: 5, firstDelayMs: 50, maxDelayMs: 200 },
    eventualIntervalMs: 200,
    backgroundSettleMs: 300,
    onEvent: (e) => events.push(e),
    ...extra,
  });
  return { report, events, dir };
}

const step = (report: RunReport, line: number) => {
  const found = report.steps.find((s) => s.line === line);
  if (!found) throw new Error(`no step at line ${line}: ${report.steps.map((s) => s.line).join(', ')}`);
  return found;
};


describe('runChapter', () => {
  it('keeps variables, functions, exports and the folder from block to block, and types multi-line commands as written', async () => {
    const { report, dir } = await run('persist.md');
    expect(report.status).toBe('passed');
    expect(step(report, 26).output).toBe('hello, reader!\n');
    expect(step(report, 28).output).toBe('work\n');
    expect(step(report, 30)).toMatchObject({ status: 'passed', expect: { matched: true, line: 35 } });
    expect(step(report, 42).output.trim()).toBe('3');
    expect(step(report, 47)).toMatchObject({ status: 'passed', output: '\tindented with a tab\nreader\n' });
    // Only the variant's steps run.
    expect(report.steps.map((s) => s.line)).not.toContain(62);
    expect(readFileSync(path.join(dir, 'work', 'flavor.txt'), 'utf8')).toBe('static only\n');
  });

  it('runs the other variant’s steps for that variant', async () => {
    const { report, dir } = await run('persist.md', 'existing-serverless');
    expect(report.status).toBe('passed');
    expect(readFileSync(path.join(dir, 'work', 'flavor.txt'), 'utf8')).toBe('serverless only\n');
  });

  it('runs a second terminal in the background, then interrupts it and ends its process group', async () => {
    const { report, dir, events } = await run('terminals.md');
    expect(report.status).toBe('passed');
    const loop = step(report, 18);
    expect(loop).toMatchObject({ terminal: 2, status: 'interrupted', reason: 'interrupted: the first terminal finished' });
    // The first terminal went on while the loop ran: ticks were written before it finished.
    const ticks = readFileSync(path.join(dir, 'ticks.txt'), 'utf8').trim().split('\n').length;
    expect(ticks).toBeGreaterThan(3);
    expect(ticks).toBeLessThan(1000);
    const order = events.filter((e) => e.kind === 'step-finished').map((e) => (e as { step: { line: number } }).step.line);
    expect(order.indexOf(31)).toBeLessThan(order.indexOf(18));
    const t1 = Number(readFileSync(path.join(dir, 't1.pid'), 'utf8'));
    const t2 = Number(readFileSync(path.join(dir, 't2.pid'), 'utf8'));
    expect(t1).not.toBe(t2);
    // Interactive bash leads its own process group; the loop's `sleep`s ran in groups of their own,
    // all in the shell's session: nothing of either terminal is left.
    expect(processGroupGone(t1)).toBe(true);
    expect(processGroupGone(t2)).toBe(true);
    const after = readFileSync(path.join(dir, 'ticks.txt'), 'utf8');
    await new Promise((r) => setTimeout(r, 300));
    expect(readFileSync(path.join(dir, 'ticks.txt'), 'utf8')).toBe(after);
  });

  it('ends watches at their pattern or at --watch-timeout, retries while a phrase shows, waits for eventual output', async () => {
    const { report } = await run('waiting.md', 'gke-static', { watchTimeoutMs: 3000 });
    expect(report.status).toBe('passed');
    const byPattern = step(report, 11);
    expect(byPattern).toMatchObject({ status: 'passed', ended: 'until' });
    expect(byPattern.output).toContain('app is ready');
    expect(step(report, 19)).toMatchObject({ status: 'passed', ended: 'watch-timeout' });
    expect(step(report, 29)).toMatchObject({ status: 'passed', attempts: 3, output: 'served\n' });
    const eventual = step(report, 48);
    expect(eventual.status).toBe('passed');
    expect(eventual.attempts).toBeGreaterThan(1);
  });

  it('fails a watch whose pattern never shows before --watch-timeout, and a retry that never stops failing', async () => {
    const { report } = await run('waiting.md', 'gke-static', {
      watchTimeoutMs: 200,
      retry: { attempts: 2, firstDelayMs: 10, maxDelayMs: 10 },
      keepGoing: true,
    });
    expect(report.status).toBe('failed');
    expect(step(report, 11)).toMatchObject({ status: 'failed', ended: 'watch-timeout' });
    expect(step(report, 11).reason).toContain('/app is ready/');
    expect(step(report, 29)).toMatchObject({ status: 'failed', attempts: 2 });
  });

  it('fails an eventual step when the output never matches within --wait-timeout', async () => {
    const { report } = await run('waiting.md', 'gke-static', { watchTimeoutMs: 300, waitTimeoutMs: 500, eventualIntervalMs: 100, from: 48 });
    const eventual = step(report, 48);
    expect(eventual.status).toBe('failed');
    expect(eventual.reason).toContain('--wait-timeout');
    expect(eventual.expect).toMatchObject({ matched: false, line: 53 });
    expect(eventual.expect?.diff).toContain('-status: ready');
    expect(eventual.expect?.diff).toContain('+status: pending');
  });

  it('captures a placeholder from an earlier output and fills NAME=[...] with it', async () => {
    const { report, dir } = await run('placeholders.md', 'gke-static', { values: { USER_NAME: "O'Brien" } });
    expect(report.status).toBe('passed');
    expect(step(report, 23).command).toBe('RELEASE=1.2.3');
    expect(step(report, 8).command).toBe(`USER_NAME='O'\\''Brien'`);
    expect(readFileSync(path.join(dir, 'greeting.txt'), 'utf8')).toBe("hello, O'Brien\n");
    expect(report.placeholders).toEqual({ USER_NAME: "O'Brien", RELEASE: '1.2.3' });
  });

  it('never runs a half-resolved command, even with --keep-going after a failed capture', async () => {
    const { report } = await run('capture-fails.md', 'gke-static', { keepGoing: true });
    expect(report.status).toBe('failed');
    expect(step(report, 5)).toMatchObject({ status: 'failed', reason: 'capture RELEASE: /release: (\\S+)/ is not in the output' });
    expect(step(report, 11)).toMatchObject({ status: 'failed', attempts: 0, reason: 'not run: no value for RELEASE=[...] (its capture failed)' });
    expect(step(report, 13).status).toBe('passed');
  });

  it('stops at the first failure with the diff, and reports the rest as skipped', async () => {
    const { report } = await run('wrong-output.md');
    expect(report.status).toBe('failed');
    const failed = step(report, 6);
    expect(failed.status).toBe('failed');
    expect(failed.reason).toBe('the output does not match the expected output at line 11');
    expect(failed.expect?.diff).toContain('-web-v1 1/1 Pending');
    expect(failed.expect?.diff).toContain('+web-v1 1/1 Running');
    expect(step(report, 17)).toMatchObject({ status: 'skipped', reason: 'not run: line 6 failed', attempts: 0 });
  });

  it('ends a hung command at the step timeout, reports it, and the shell is gone afterwards', async () => {
    const { report, dir } = await run('hung.md', 'gke-static', { stepTimeoutMs: 500 });
    expect(step(report, 6)).toMatchObject({ status: 'failed', ended: 'timeout', reason: 'timed out after 500ms (--step-timeout)' });
    expect(step(report, 8).status).toBe('skipped');
    expect(processGroupGone(Number(readFileSync(path.join(dir, 'shell.pid'), 'utf8')))).toBe(true);
  });

  it('fails a command that waits for keyboard input at once, instead of at its timeout', async () => {
    const { report } = await run('prompts.md', 'gke-static', { keepGoing: true, keyboardWaitMs: 500 });
    const prompt = step(report, 8);
    expect(prompt).toMatchObject({ status: 'failed', ended: 'interrupted' });
    expect(prompt.reason).toContain('waits for keyboard input');
    expect(prompt.durationMs).toBeLessThan(30_000);
    expect(step(report, 10).status).toBe('passed');
    expect(step(report, 16)).toMatchObject({ status: 'passed', output: 'answered y\n' });
  });

  it('records the session state when a terminal ends and resumes from it with --from', async () => {
    const dir = book();
    const stateDir = path.join(dir, '.bookrun', 'state');
    const state = () => openOutputFolder(stateDir, { private: true, instead: 'test' });
    const first = await runInBook(dir, 'persist.md', { state: await state(), to: 18 });
    expect(first.status).toBe('passed');
    expect(first.steps.filter((s) => s.status === 'passed').map((s) => s.line)).toEqual([8, 10, 12, 16, 18]);
    expect(existsSync(path.join(stateDir, 't1.sh'))).toBe(true);
    const second = await runInBook(dir, 'persist.md', { state: await state(), from: 26 });
    expect(second.status).toBe('passed');
    expect(step(second, 8).status).toBe('skipped');
    // The function, the plain variable, the export and the folder all came back.
    expect(step(second, 26).output).toBe('hello, reader!\n');
    expect(step(second, 28).output).toBe('work\n');
    expect(step(second, 30).output).toBe('a child sees hello\n');
  });

  it('saves only what the chapter set: never the inherited environment (GH_TOKEN), files 0600 in a 0700 folder', async () => {
    const dir = book();
    const stateDir = path.join(dir, '.bookrun', 'state');
    const env = { ...process.env, GH_TOKEN: 'secret123', KUBECONFIG: '/home/reader/.kube/config' };
    const first = await runInBook(dir, 'persist.md', { state: await openOutputFolder(stateDir, { private: true, instead: 'test' }), env, to: 18 });
    expect(first.status).toBe('passed');
    const dump = readFileSync(path.join(stateDir, 't1.sh'), 'utf8');
    expect(dump).not.toContain('secret123');
    expect(dump).not.toContain('KUBECONFIG');
    // What the chapter set is there: its variables, its export, its function, its folder.
    expect(dump).toMatch(/declare -x GREETING="hello"/);
    expect(dump).toMatch(/declare -- NAME="reader"/);
    expect(dump).toContain('greet ()');
    expect(dump).toContain(`builtin cd -- ${path.join(dir, 'work')}`);
    expect(statSync(stateDir).mode & 0o777).toBe(0o700);
    for (const name of ['t1.sh', 'meta.json', '.bookrun-manifest.json']) expect(statSync(path.join(stateDir, name)).mode & 0o777, name).toBe(0o600);
    // A resumed shell gets the token from its own environment, not from the file.
    const second = await runInBook(dir, 'persist.md', { state: await openOutputFolder(stateDir, { private: true, instead: 'test' }), env, from: 26 });
    expect(step(second, 26).output).toBe('hello, reader!\n');
  });

  it('passes a chapter whose last command is exit (the shell ending is what it does), and judges exit N by N', async () => {
    const dir = book();
    const chapter = (last: string) => `# Cleaning Up\n\nWe are done with the cluster.\n\n\`\`\`bash\necho "all gone"\n\`\`\`\n\nWe close the terminal.\n\n\`\`\`bash\n${last}\n\`\`\`\n`;
    const results: Record<string, RunReport> = {};
    for (const [name, last] of [['exit', 'exit'], ['exit-0', 'exit 0'], ['exit-3', 'exit 3']] as const) {
      writeFileSync(path.join(dir, `${name}.md`), chapter(last));
      results[name] = await runInBook(dir, `${name}.md`, {});
    }
    expect(results.exit!.status).toBe('passed');
    expect(step(results.exit!, 12)).toMatchObject({ status: 'passed', exitCode: 0, ended: 'exited' });
    expect(results['exit-0']!.status).toBe('passed');
    expect(results['exit-3']!.status).toBe('failed');
    expect(step(results['exit-3']!, 12)).toMatchObject({ status: 'failed', exitCode: 3, reason: 'exit status 3' });
  });

  it('reports interrupted steps when the run is aborted (ctrl+c on bookrun run)', async () => {
    const controller = new AbortController();
    const pending = run('hung.md', 'gke-static', {
      signal: controller.signal,
      onEvent: (e) => {
        if (e.kind === 'step-started' && e.line === 6) setTimeout(() => controller.abort(), 200);
      },
    });
    const { report, dir } = await pending;
    expect(report.status).toBe('failed');
    expect(step(report, 6)).toMatchObject({ status: 'interrupted', reason: 'interrupted: bookrun run was interrupted' });
    expect(step(report, 8)).toMatchObject({ status: 'skipped', reason: 'not run: bookrun run was interrupted' });
    expect(processGroupGone(Number(readFileSync(path.join(dir, 'shell.pid'), 'utf8')))).toBe(true);
  });
});

async function runInBook(dir: string, chapter: string, extra: Partial<RunChapterOptions>): Promise<RunReport> {
  const b = await readBook({ config: path.join(dir, 'bookrun.yaml') });
  const parsed = await readChapter(b, path.join(dir, chapter), chapter);
  const lookup = resolveVariant(b.config, 'gke-static');
  if (!lookup.ok) throw new Error(lookup.message);
  return runChapter({
    plan: planChapter(parsed, lookup.variant, b.config),
    chapter: { title: parsed.title, file: chapter, sha256: 'test' },
    cwd: dir,
    values: {},
    watchTimeoutMs: 5000,
    stepTimeoutMs: 10_000,
    waitTimeoutMs: 5000,
    ...extra,
  });
}
