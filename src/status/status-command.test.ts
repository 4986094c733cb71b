import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { BookStatus } from '../core/status-model.ts';
import { copyFixture } from '../testing/copy-fixture.ts';

const bin = path.resolve(import.meta.dirname, '../../bin/bookrun.mjs');
const fixture = path.resolve(import.meta.dirname, 'fixtures/book');

/** Runs the real CLI; resolves with the exit code and both streams. */
function bookrun(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, env: { ...process.env, NO_COLOR: '' } }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

function sha(file: string): string {
  return createHash('sha256').update(readFileSync(file, 'utf8')).digest('hex');
}

/** Writes a report as `bookrun run` saves it. */
function writeReport(dir: string, variant: string, status: 'passed' | 'failed', startedAt: string, sha256: string): void {
  const folder = path.join(dir, 'hello-canary', variant);
  mkdirSync(folder, { recursive: true });
  const report = {
    version: 1,
    chapter: { title: 'Hello Canary', file: 'docs/hello-canary.md', sha256 },
    variant: { name: variant, values: {} },
    status,
    startedAt,
    durationMs: 900,
    steps: [{ id: 'L50', line: 50, terminal: 1, command: 'cat FLAVOR | wc -l', status, exitCode: 0, attempts: 1, durationMs: 5, output: '1', expect: null }],
  };
  writeFileSync(path.join(folder, `${startedAt.replace(/:/g, '-')}.json`), JSON.stringify(report));
}

let book: string;
beforeEach(() => {
  book = mkdtempSync(path.join(tmpdir(), 'bookrun-status-'));
  copyFixture(fixture, book);
});

function item(status: BookStatus, file: string, text: string) {
  const found = status.chapters.find((c) => c.file === file)!.items.find((i) => i.text === text);
  if (!found) throw new Error(`no item "${text}" in ${file}`);
  return found;
}

describe('bookrun status', () => {
  it('derives code reviews from the reports folder: current, stale, failed and missing', async () => {
    const reports = path.join(book, '.bookrun/reports');
    const now = sha(path.join(book, 'docs/hello-canary.md'));
    writeReport(reports, 'local-static', 'passed', '2026-11-26T01:00:00.000Z', now);
    writeReport(reports, 'local-serverless', 'passed', '2026-11-26T01:00:00.000Z', 'an-older-text');
    writeReport(reports, 'remote-static', 'passed', '2026-11-26T01:00:00.000Z', now);
    writeReport(reports, 'remote-static', 'failed', '2026-11-26T02:00:00.000Z', now);
    const { code, stdout } = await bookrun(book, 'status', '--json');
    expect(code).toBe(0);
    const status = JSON.parse(stdout) as BookStatus;
    expect(status.reports.read).toBe(4);
    expect(item(status, 'docs/hello-canary.md', 'Code review static local')).toMatchObject({ state: 'passed', done: true, checked: false, disagrees: true });
    expect(item(status, 'docs/hello-canary.md', 'Code review serverless local')).toMatchObject({ state: 'stale', checked: true, disagrees: true });
    expect(item(status, 'docs/hello-canary.md', 'Code review static remote')).toMatchObject({ state: 'failed' });
    expect(item(status, 'docs/hello-canary.md', 'Code review static remote').evidence).toContain('failed 2026-11-26T02:00:00.000Z at line 50');
    expect(item(status, 'docs/hello-canary.md', 'Code review serverless remote')).toMatchObject({ state: 'not-run' });
    expect(item(status, 'docs/hello-canary.md', 'Text review')).toMatchObject({ state: 'failed', findings: [{ line: 59, rule: 'author-note' }] });
    expect(item(status, 'docs/hello-canary.md', 'Proofread')).toMatchObject({ derived: false, state: 'todo' });
    expect(item(status, 'docs/no-list.md', 'Code review local-static')).toMatchObject({ state: 'not-run', line: null, checked: null });
  });

  it('sees the gist match once generated, and a changed chapter makes its gist and reports stale', async () => {
    const reports = path.join(book, '.bookrun/reports');
    writeReport(reports, 'local-static', 'passed', '2026-11-26T01:00:00.000Z', sha(path.join(book, 'docs/hello-canary.md')));
    expect((await bookrun(book, 'gists')).code).toBe(0);
    let status = JSON.parse((await bookrun(book, 'status', '--json')).stdout) as BookStatus;
    expect(item(status, 'docs/hello-canary.md', 'Gist')).toMatchObject({ state: 'passed', checked: false, disagrees: true });
    expect(item(status, 'docs/hello-canary.md', 'Gist').evidence).toBe('gists/hello-canary.sh matches what the chapter generates [proven, but not ticked]');
    appendFileSync(path.join(book, 'docs/hello-canary.md'), '\n```bash\necho "one more"\n```\n');
    status = JSON.parse((await bookrun(book, 'status', '--json')).stdout) as BookStatus;
    expect(item(status, 'docs/hello-canary.md', 'Gist')).toMatchObject({ state: 'failed' });
    expect(item(status, 'docs/hello-canary.md', 'Gist').evidence).toContain('differs from what the chapter generates');
    expect(item(status, 'docs/hello-canary.md', 'Code review static local')).toMatchObject({ state: 'stale' });
  });

  it('reads any folder tree given with --reports and ignores JUnit files', async () => {
    const artifacts = path.join(book, 'artifacts');
    writeReport(path.join(artifacts, 'bookrun-report-hello-canary-remote-serverless'), 'remote-serverless', 'passed', '2026-11-26T03:00:00.000Z', sha(path.join(book, 'docs/hello-canary.md')));
    writeFileSync(path.join(artifacts, 'junit.xml'), '<testsuites/>');
    const status = JSON.parse((await bookrun(book, 'status', '--json', '--reports', 'artifacts')).stdout) as BookStatus;
    expect(status.reportsDir).toBe('artifacts');
    expect(item(status, 'docs/hello-canary.md', 'Code review serverless remote')).toMatchObject({ state: 'passed', disagrees: false });
  });

  it('prints a chapters × items table without colour when not a TTY', async () => {
    const { code, stdout } = await bookrun(book, 'status');
    expect(code).toBe(0);
    expect(stdout).not.toContain('\u001b[');
    expect(stdout).toMatch(/^ +hello-canary +no-list$/m);
    expect(stdout).toMatch(/^Code review static local +○ not-run +○ not-run$/m);
    expect(stdout).toMatch(/^Proofread +☐ todo +·$/m);
    expect(stdout).toContain('docs/hello-canary.md  Hello Canary');
  });

  it('refuses a report file that is not a run report, naming it, with exit 2', async () => {
    mkdirSync(path.join(book, '.bookrun/reports/x'), { recursive: true });
    writeFileSync(path.join(book, '.bookrun/reports/x/broken.json'), '{"version": 1, "chapter": {');
    const broken = await bookrun(book, 'status');
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('.bookrun/reports/x/broken.json: not valid JSON');
    writeFileSync(path.join(book, '.bookrun/reports/x/broken.json'), '{"version": 1, "chapter": {"file": "docs/hello-canary.md"}}');
    expect((await bookrun(book, 'status')).stderr).toContain('.bookrun/reports/x/broken.json: run report without chapter.sha256');
    const missing = await bookrun(book, 'status', '--reports', 'nowhere');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nowhere: no such folder');
    expect((await bookrun(book, 'status', 'docs/hello-canary.md')).code).toBe(2);
  });
});
