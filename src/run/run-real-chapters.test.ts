/**
 * What a real cluster chapter needs of the runner, each in real bash in a real pty: watches that end at their
 * expected output, teardown sections that run after a failure, secrets that never show, prompts answered.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
import { copyFixture } from '../testing/copy-fixture.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function book(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bookrun-real-'));
  dirs.push(dir);
  copyFixture(fixtures, dir);
  return dir;
}

async function run(chapter: string, extra: Partial<RunChapterOptions> = {}, dir = book()): Promise<{ report: RunReport; events: RunEvent[]; dir: string }> {
  const b = await readBook({ config: path.join(dir, 'bookrun.yaml') });
  const parsed = await readChapter(b, path.join(dir, chapter), chapter);
  const lookup = resolveVariant(b.config, 'gke-static');
  if (!lookup.ok) throw new Error(lookup.message);
  const events: RunEvent[] = [];
  const report = await runChapter({
    plan: planChapter(parsed, lookup.variant, b.config),
    chapter: { title: parsed.title, file: chapter, sha256: 'test' },
    cwd: dir,
    env: { ...process.env, HOME: dir },
    values: {},
    watchTimeoutMs: 60_000,
    stepTimeoutMs: 60_000,
    waitTimeoutMs: 60_000,
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

describe('watches end at their expected output', () => {
  it('stops a watch once its output matches the expected output (ended: expect), long before a 60 s --watch-timeout', async () => {
    const { report } = await run('watch-expect.md', { to: 10 });
    expect(report.status).toBe('passed');
    const watch = step(report, 10);
    expect(watch).toMatchObject({ status: 'passed', ended: 'expect', attempts: 1, expect: { matched: true, line: 17 } });
    // It ran until the pod was running, not past it and not until the timeout.
    expect(watch.output).toContain('web-v1   0/1     Pending');
    expect(watch.output).toContain('web-v1   1/1     Running');
  });

  it('lets until win over the expected output, and fails a watch that reaches --watch-timeout before its output matched, with the diff', async () => {
    const { report } = await run('watch-expect.md', { watchTimeoutMs: 1500, keepGoing: true });
    // The expected output (Pending) showed first, but the watch ran on until its pattern (Running) matched.
    expect(step(report, 26)).toMatchObject({ status: 'passed', ended: 'until', expect: { matched: true } });
    expect(step(report, 26).output).toContain('Running');
    const never = step(report, 36);
    expect(never).toMatchObject({ status: 'failed', ended: 'watch-timeout', expect: { matched: false, line: 41 } });
    expect(never.reason).toBe('the watch was stopped at --watch-timeout 1500ms before its output matched the expected output at line 41');
    expect(never.expect?.diff).toContain('-web-v1 1/1 Ready');
    expect(never.expect?.diff).toContain('+web-v1 1/1 Running 0');
  });
});

describe('teardown sections always run', () => {
  it('runs the "What Now?" section after a failure, not the steps between, and reports it apart', async () => {
    const { report, dir, events } = await run('teardown.md');
    expect(report.status).toBe('failed');
    expect(step(report, 14)).toMatchObject({ status: 'failed', teardown: false, reason: 'exit status 1' });
    expect(step(report, 18)).toMatchObject({ status: 'skipped', teardown: false, reason: 'not run: line 14 failed' });
    expect(existsSync(path.join(dir, 'between.txt'))).toBe(false);
    // The teardown ran: the resource is gone, and a failing teardown step did not stop the next one.
    expect(existsSync(path.join(dir, 'resource.txt'))).toBe(false);
    expect(readFileSync(path.join(dir, 'deleted.txt'), 'utf8')).toBe('deleted\nalso deleted\n');
    expect([26, 28, 35, 39].map((l) => [step(report, l).status, step(report, l).teardown])).toEqual([
      ['passed', true],
      ['passed', true],
      ['failed', true],
      ['passed', true],
    ]);
    expect(report.teardown).toEqual({ steps: 4, summary: { passed: 3, failed: 1, skipped: 0, interrupted: 0 }, afterFailure: true, kept: false });
    expect(events.find((e) => e.kind === 'teardown-started')).toEqual({ kind: 'teardown-started', steps: 4, afterFailure: true, kept: false });
  });

  it('keeps what the chapter created with teardown: false (--no-teardown)', async () => {
    const { report, dir } = await run('teardown.md', { teardown: false });
    expect(step(report, 26)).toMatchObject({ status: 'skipped', reason: 'not run: --no-teardown keeps what the chapter created' });
    expect(readFileSync(path.join(dir, 'resource.txt'), 'utf8')).toBe('created\n');
    expect(existsSync(path.join(dir, 'deleted.txt'))).toBe(false);
    expect(report.teardown).toMatchObject({ kept: true, summary: { skipped: 4 } });
  });

  it('runs the teardown after ctrl+c on bookrun run, and stops it at a second ctrl+c', async () => {
    const signal = new AbortController();
    const { report, dir } = await run('teardown.md', {
      signal: signal.signal,
      onEvent: (e) => {
        if (e.kind === 'step-started' && e.line === 8) signal.abort();
      },
    });
    expect(step(report, 14)).toMatchObject({ status: 'skipped', reason: 'not run: bookrun run was interrupted' });
    expect(readFileSync(path.join(dir, 'deleted.txt'), 'utf8')).toBe('deleted\nalso deleted\n');
    const again = new AbortController();
    const second = await run('teardown.md', {
      signal: signal.signal,
      teardownSignal: again.signal,
      onEvent: (e) => {
        if (e.kind === 'step-started' && e.line === 26) again.abort();
      },
    });
    expect(step(second.report, 39)).toMatchObject({ status: 'skipped', reason: 'not run: bookrun run was interrupted again (ctrl+c during the teardown)' });
    expect(existsSync(path.join(second.dir, 'deleted.txt'))).toBe(false);
  });
});

describe('secrets', () => {
  it('fills placeholders and the environment, and is *** in every event, the report and the saved state', async () => {
    const dir = book();
    const stateDir = path.join(dir, '.bookrun', 'state');
    const token = 'ghp_S3cretValue0123456789';
    const apiKey = "k3y-with-'quotes'-and-$";
    const events: RunEvent[] = [];
    const { report } = await run(
      'secrets.md',
      {
        values: { GH_TOKEN: token },
        secrets: { GH_TOKEN: token, API_KEY: apiKey },
        env: { ...process.env, HOME: dir, API_KEY: apiKey },
        state: await openOutputFolder(stateDir, { private: true, instead: 'test' }),
        keepGoing: true,
        onEvent: (e) => events.push(e),
      },
      dir,
    );
    // The commands got the real values: the echo printed them (and the diff shows what it printed, masked).
    expect(step(report, 10)).toMatchObject({ status: 'failed', output: 'logging in with ***\n' });
    expect(step(report, 10).expect?.diff).toContain('+logging in with ***');
    expect(step(report, 8).command).toBe('GH_TOKEN=***');
    expect(step(report, 20).output).toBe('the environment has ***\n');
    expect(report.placeholders).toEqual({ GH_TOKEN: '***' });
    expect(report.secrets).toEqual(['API_KEY', 'GH_TOKEN']);
    const everything = JSON.stringify(report) + JSON.stringify(events);
    for (const secret of [token, apiKey, "'k3y-with-'\\''quotes'\\''-and-$'"]) expect(everything).not.toContain(secret);
    // The state keeps what the chapter set, except what holds a secret; the names are kept for --from to ask again.
    const files = readdirSync(stateDir);
    expect(files).toContain('t1.sh');
    for (const file of files) expect(readFileSync(path.join(stateDir, file), 'utf8'), file).not.toContain(token);
    expect(JSON.parse(readFileSync(path.join(stateDir, 'meta.json'), 'utf8')).secrets).toEqual(['API_KEY', 'GH_TOKEN']);
  });
});

describe('answers to prompts', () => {
  it('types the reply each time a command waits at a matching prompt, input= first; an unanswered prompt fails quoting it', async () => {
    const { report } = await run('answers.md', {
      keepGoing: true,
      keyboardWaitMs: 1000,
      answers: [
        { prompt: 'Continue?', reply: 'y' },
        { prompt: '/^Name of the \\w+:/', reply: 'jx-rocks' },
        { prompt: 'Really delete', reply: 'yes, delete it' },
        { prompt: 'Are you sure?', reply: 'not this one' },
      ],
    });
    expect(step(report, 6)).toMatchObject({ status: 'passed', output: 'Continue? [y/N] answered y\n' });
    expect(step(report, 12)).toMatchObject({ status: 'passed' });
    expect(step(report, 12).output).toContain('deleting jx-rocks: yes, delete it\n');
    // The step's own input= wins over the values file's answer.
    expect(step(report, 17).output).toContain('sure: yes\n');
    const unanswered = step(report, 21);
    expect(unanswered).toMatchObject({ status: 'failed', ended: 'interrupted' });
    expect(unanswered.reason).toContain('waits for keyboard input at the prompt "Favourite colour?"');
  });
});
