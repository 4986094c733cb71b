import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BookStatus } from '../core/status-model.ts';
import { copyFixture } from '../testing/copy-fixture.ts';

const bin = path.resolve(import.meta.dirname, '../../bin/bookrun.mjs');
const fixture = path.resolve(import.meta.dirname, 'fixtures/book');

function bookrun(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

function items(status: BookStatus, file: string): Record<string, BookStatus['chapters'][number]['items'][number]> {
  return Object.fromEntries(status.chapters.find((c) => c.file === file)!.items.map((i) => [i.text, i]));
}

describe('bookrun run → bookrun status, end to end', () => {
  it('derives the code reviews of the variants that ran as passed and the others as not run', async () => {
    const book = mkdtempSync(path.join(tmpdir(), 'bookrun-e2e-'));
    copyFixture(fixture, book);
    for (const variant of ['local-static', 'local-serverless']) {
      const work = mkdtempSync(path.join(tmpdir(), `bookrun-e2e-${variant}-`));
      const run = await bookrun(book, 'run', 'docs/hello-canary.md', '--variant', variant, '--cwd', work);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(existsSync(path.join(work, 'hello/FLAVOR'))).toBe(true);
    }
    expect(readdirSync(path.join(book, '.bookrun/reports/hello-canary')).sort()).toEqual(['local-serverless', 'local-static']);
    const { code, stdout } = await bookrun(book, 'status', '--json');
    expect(code).toBe(0);
    const status = JSON.parse(stdout) as BookStatus;
    const hello = items(status, 'docs/hello-canary.md');
    expect(hello['Code review static local']).toMatchObject({ derived: true, state: 'passed', checked: false, disagrees: true });
    expect(hello['Code review serverless local']).toMatchObject({ derived: true, state: 'passed', checked: true, disagrees: false });
    expect(hello['Code review static remote']).toMatchObject({ state: 'not-run', done: false });
    expect(hello['Code review serverless remote']).toMatchObject({ state: 'not-run', checked: true, disagrees: true });
    expect(hello['Code review static local'].variants![0].report!.sha256).toBe(status.chapters[0].sha256);
    const plain = items(status, 'docs/no-list.md');
    for (const v of ['local-static', 'local-serverless', 'remote-static', 'remote-serverless']) {
      expect(plain[`Code review ${v}`].state).toBe('not-run');
    }
  });

  it('reads reports written with --report into a CI artifacts folder', async () => {
    const book = mkdtempSync(path.join(tmpdir(), 'bookrun-e2e-ci-'));
    copyFixture(fixture, book);
    const work = mkdtempSync(path.join(tmpdir(), 'bookrun-e2e-ci-work-'));
    const run = await bookrun(
      book, 'run', 'docs/hello-canary.md', '--variant', 'remote-serverless', '--cwd', work, '--no-save-report',
      '--report', 'artifacts/bookrun-report-hello-canary-remote-serverless/report.json',
      '--junit', 'artifacts/bookrun-junit-hello-canary-remote-serverless/junit.xml',
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(existsSync(path.join(book, '.bookrun/reports'))).toBe(false);
    const status = JSON.parse((await bookrun(book, 'status', '--json', '--reports', 'artifacts')).stdout) as BookStatus;
    const hello = items(status, 'docs/hello-canary.md');
    expect(hello['Code review serverless remote']).toMatchObject({ state: 'passed', checked: true, disagrees: false });
    expect(hello['Code review static local']).toMatchObject({ state: 'not-run' });
  });
});
