import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { processGroupGone } from '../../run/list-processes.ts';
import { copyFixture } from '../../testing/copy-fixture.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(root, 'bin', 'bookrun.mjs');
const fixtures = path.join(root, 'src', 'run', 'fixtures');
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tmp(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bookrun-cli-run-'));
  dirs.push(dir);
  return dir;
}

/** A copy of the runner's fixture book in a temporary folder (reports and state land there too). */
function fixtureBook(): string {
  const dir = tmp();
  copyFixture(fixtures, dir);
  return dir;
}

interface Cli {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function bookrun(args: string[], cwd: string, onSpawn?: (pid: number) => void, env: Record<string, string> = {}): Promise<Cli> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    onSpawn?.(child.pid!);
  });
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port whose next two ports are free too (the chapter's router and its two releases). */
async function freePorts(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 40_000);
    if ((await portFree(port)) && (await portFree(port + 1)) && (await portFree(port + 2))) return port;
  }
}


describe('bookrun run', () => {
  it('refuses to start, exit 2 and nothing run, when a placeholder has no value', async () => {
    const dir = fixtureBook();
    const result = await bookrun(['run', 'placeholders.md', '--variant', 'gke-static'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('placeholders.md:8: USER_NAME=[...] has no value: pass --set USER_NAME=VALUE');
    // RELEASE is captured by an earlier step, so it is not a problem.
    expect(result.stderr).not.toContain('RELEASE');
    expect(existsSync(path.join(dir, 'created-by-the-first-step'))).toBe(false);
    expect(existsSync(path.join(dir, '.bookrun'))).toBe(false);
  });

  it('exits 2 for an unknown variant, a bad flag, a bad duration and a bad values file', async () => {
    const dir = fixtureBook();
    const unknown = await bookrun(['run', 'persist.md', '--variant', 'eks-static'], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('known variants: gke-static');
    expect((await bookrun(['run', 'persist.md', '--variant', 'gke-static', '--bogus'], dir)).code).toBe(2);
    const duration = await bookrun(['run', 'persist.md', '--variant', 'gke-static', '--step-timeout', 'soon'], dir);
    expect(duration.code).toBe(2);
    expect(duration.stderr).toContain('--step-timeout soon');
    const range = await bookrun(['run', 'persist.md', '--variant', 'gke-static', '--from', '999'], dir);
    expect(range.code).toBe(2);
    expect(range.stderr).toContain('no step runs from line 999');
    const typo = await bookrun(['run', 'placeholders.md', '--variant', 'gke-static', '--set', 'USER_NAM=me'], dir);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('--set USER_NAM: placeholders.md has no placeholder USER_NAM=[...] (its placeholders: USER_NAME, RELEASE)');
    writeFileSync(path.join(dir, 'values.yaml'), 'variants:\n  gke-statc:\n    USER_NAME: me\n');
    const values = await bookrun(['run', 'placeholders.md', '--variant', 'gke-static', '--values', 'values.yaml'], dir);
    expect(values.code).toBe(2);
    expect(values.stderr).toContain('variants.gke-statc: unknown variant');
    expect(existsSync(path.join(dir, 'created-by-the-first-step'))).toBe(false);
  });

  it('takes values from a --values file with per-variant sections, and --dry-run only prints', async () => {
    const dir = fixtureBook();
    writeFileSync(path.join(dir, 'values.yaml'), 'USER_NAME: everyone\nvariants:\n  existing-serverless:\n    USER_NAME: serverless reader\n');
    const dry = await bookrun(['run', 'placeholders.md', '--variant', 'existing-serverless', '--values', 'values.yaml', '--dry-run'], dir);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("USER_NAME='serverless reader'");
    expect(dry.stdout).toContain('RELEASE=<captured at line 17>');
    expect(existsSync(path.join(dir, 'created-by-the-first-step'))).toBe(false);
    const real = await bookrun(['run', 'placeholders.md', '--variant', 'gke-static', '--values', 'values.yaml', '--no-save-report'], dir);
    expect(real.code).toBe(0);
    expect(readFileSync(path.join(dir, 'greeting.txt'), 'utf8')).toBe('hello, everyone\n');
  });

  it('fails with exit 1 on a wrong expected output; the reports name the line and show the diff', async () => {
    const dir = fixtureBook();
    const result = await bookrun(['run', 'wrong-output.md', '--variant', 'gke-static', '--report', 'out/report.json', '--junit', 'out/junit.xml'], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('FAIL L6');
    expect(result.stdout).toContain('-web-v1 1/1 Pending');
    const report = JSON.parse(readFileSync(path.join(dir, 'out', 'report.json'), 'utf8'));
    expect(report).toMatchObject({ version: 1, status: 'failed', variant: { name: 'gke-static', values: { cloud: 'gke', flavor: 'static' } } });
    expect(report.chapter).toMatchObject({ title: 'A Wrong Expectation', file: 'wrong-output.md' });
    expect(report.chapter.sha256).toMatch(/^[0-9a-f]{64}$/);
    const failed = report.steps.find((s: { line: number }) => s.line === 6);
    expect(failed).toMatchObject({ id: 'L6', terminal: 1, status: 'failed', exitCode: 0, attempts: 1, expect: { matched: false } });
    expect(failed.expect.diff).toContain('+web-v1 1/1 Running');
    const junit = readFileSync(path.join(dir, 'out', 'junit.xml'), 'utf8');
    expect(junit).toContain('<testsuite name="wrong-output.md [gke-static]" tests="3" failures="1"');
    expect(junit).toContain('line="6"');
    expect(junit).toContain('type="output-mismatch"');
    // The report is also saved under the book's reports folder, for bookrun status.
    const saved = path.join(dir, '.bookrun', 'reports', 'wrong-output', 'gke-static', `${report.startedAt.replace(/:/g, '-')}.json`);
    expect(JSON.parse(readFileSync(saved, 'utf8')).startedAt).toBe(report.startedAt);
  });

  it('keeps secrets of the environment off disk: GH_TOKEN is in no file under .bookrun/, which git ignores', async () => {
    const dir = fixtureBook();
    const result = await bookrun(['run', 'persist.md', '--variant', 'gke-static'], dir, undefined, { GH_TOKEN: 'secret123', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI' });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const files: string[] = [];
    const walk = (at: string) => {
      for (const entry of readdirSync(at, { withFileTypes: true })) {
        const full = path.join(at, entry.name);
        if (entry.isDirectory()) {
          expect(statSync(full).mode & 0o777, full).toBe(0o700);
          walk(full);
        } else files.push(full);
      }
    };
    walk(path.join(dir, '.bookrun'));
    expect(files.map((f) => path.relative(dir, f)).sort()).toEqual(expect.arrayContaining(['.bookrun/.gitignore', '.bookrun/state/persist/gke-static/t1.sh', '.bookrun/state/persist/gke-static/meta.json']));
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toContain('secret123');
      expect(text, file).not.toContain('wJalrXUtnFEMI');
      expect(statSync(file).mode & 0o777, file).toBe(0o600);
    }
    expect(readFileSync(path.join(dir, '.bookrun/.gitignore'), 'utf8')).toMatch(/^\*$/m);
    // What the chapter itself set is kept, for --from.
    expect(readFileSync(path.join(dir, '.bookrun/state/persist/gke-static/t1.sh'), 'utf8')).toContain('declare -x GREETING="hello"');
  });

  it('ends a hung command at --step-timeout and reports it', async () => {
    const dir = fixtureBook();
    const result = await bookrun(['run', 'hung.md', '--variant', 'gke-static', '--step-timeout', '1s', '--report', 'r.json', '--no-save-report'], dir);
    expect(result.code).toBe(1);
    const report = JSON.parse(readFileSync(path.join(dir, 'r.json'), 'utf8'));
    expect(report.steps.find((s: { line: number }) => s.line === 6)).toMatchObject({ status: 'failed', reason: 'timed out after 1s (--step-timeout)' });
    expect(existsSync(path.join(dir, '.bookrun', 'reports'))).toBe(false);
  });

  it('ends every child process when bookrun run itself gets ctrl+c (SIGINT)', async () => {
    const dir = fixtureBook();
    let pid = 0;
    const running = bookrun(['run', 'hung.md', '--variant', 'gke-static', '--report', 'r.json'], dir, (p) => (pid = p));
    const pidFile = path.join(dir, 'shell.pid');
    while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8').trim() === '') await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    process.kill(pid, 'SIGINT');
    const result = await running;
    expect(result.code).toBe(130);
    expect(processGroupGone(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
    const report = JSON.parse(readFileSync(path.join(dir, 'r.json'), 'utf8'));
    expect(report.status).toBe('failed');
    expect(report.steps.find((s: { line: number }) => s.line === 6).status).toBe('interrupted');
  });
});

describe('docs/local-canary.md, the runnable example chapter', () => {
  for (const variant of ['gke-static', 'existing-serverless']) {
    it(`passes end to end for ${variant}`, async () => {
      const cwd = tmp();
      const port = await freePorts();
      const result = await bookrun(
        ['run', path.join(root, 'docs', 'local-canary.md'), '--variant', variant, '--set', `PORT=${port}`, '--cwd', cwd, '--report', path.join(cwd, 'report.json'), '--no-save-report', '--config', path.join(root, 'bookrun.yaml')],
        cwd,
      );
      expect(result.code, result.stdout + result.stderr).toBe(0);
      const report = JSON.parse(readFileSync(path.join(cwd, 'report.json'), 'utf8'));
      expect(report).toMatchObject({ status: 'passed', chapter: { file: 'docs/local-canary.md', title: 'Canary Releases On Your Laptop' }, variant: { name: variant } });
      expect(report.placeholders).toEqual({ PORT: String(port), VERSION: 'v2' });
      const loop = report.steps.find((s: { terminal: number; command: string }) => s.terminal === 2 && s.command.startsWith('for'));
      expect(loop).toMatchObject({ status: 'interrupted' });
      expect(loop.output).toContain('hello from v2');
      expect(report.steps.find((s: { command: string }) => s.command === 'tail -f router.log')).toMatchObject({ status: 'passed', ended: 'until' });
      // Nothing keeps listening once the run is over.
      expect(await portFree(port)).toBe(true);
    });
  }

  it('fails with exit 1 when an expected output is wrong, naming the line and showing the diff', async () => {
    const book = tmp();
    cpSync(path.join(root, 'bookrun.yaml'), path.join(book, 'bookrun.yaml'));
    copyFixture(path.join(root, 'docs'), path.join(book, 'docs'));
    const chapter = path.join(book, 'docs', 'local-canary.md');
    const text = readFileSync(chapter, 'utf8');
    writeFileSync(chapter, text.replace('```\nhello from v1\n```', '```\nhello from v9\n```'));
    const line = text.split('\n').indexOf('hello from v1') + 1;
    const port = await freePorts();
    const result = await bookrun(['run', 'docs/local-canary.md', '--variant', 'gke-static', '--set', `PORT=${port}`, '--report', 'report.json'], book);
    expect(result.code).toBe(1);
    const report = JSON.parse(readFileSync(path.join(book, 'report.json'), 'utf8'));
    const failed = report.steps.filter((s: { status: string }) => s.status === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0].expect).toMatchObject({ matched: false, line: line - 1 });
    expect(failed[0].expect.diff).toContain('-hello from v9');
    expect(failed[0].expect.diff).toContain('+hello from v1');
    expect(result.stdout).toContain(`docs/local-canary.md:${failed[0].line}`);
    expect(await portFree(port)).toBe(true);
  });
});
