/**
 * `bookrun dev` (npm start): the Docusaurus dev server and the terminal server together, the token handed
 * to the page in the printed URL. Real processes, real browser, real signals.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../testing/free-port.ts';
import { listProcesses, processGroupGone } from '../../run/list-processes.ts';
import { launchChromium } from '../../testing/launch-chromium.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const config = path.join(root, 'src/site/fixtures/book/bookrun.yaml');

interface Dev {
  child: ChildProcess;
  port: number;
  url: string;
  output: () => string;
}

const started: Dev[] = [];
/** Process groups of the Docusaurus dev servers seen, ended at the end whatever happened. */
const groups = new Set<number>();
let browser: Browser | undefined;
const cwd = mkdtempSync(path.join(os.tmpdir(), 'bookrun-dev-'));
const buildOut = mkdtempSync(path.join(os.tmpdir(), 'bookrun-dev-build-'));

/** Starts `bookrun dev` as a user would (no environment of the test's own) and waits for its URL. */
async function startDev(): Promise<Dev> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(root, 'bin/bookrun.mjs'), 'dev', '--no-open', '--port', String(port), '--cwd', cwd, '--config', config], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its server record and opener files go to a folder of the test's, never the user's home.
    env: { ...process.env, BOOKRUN_RUNTIME_DIR: path.join(cwd, 'runtime') },
  });
  let output = '';
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const dev: Dev = { child, port, url: '', output: () => output };
  started.push(dev);
  dev.url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      const m = /bookrun: (http:\/\/localhost:\d+\/#token=\S+)/.exec(output);
      if (m) resolve(m[1]!);
    });
    child.once('exit', () => reject(new Error(`bookrun dev exited:\n${output}`)));
  });
  for (const p of docusaurusOf(dev)) groups.add(p.pgid);
  return dev;
}

/** The Docusaurus dev server bookrun dev started: its child process, leading a group of its own. */
function docusaurusOf(dev: Dev) {
  return listProcesses((p) => p.ppid === dev.child.pid && p.pgid === p.pid);
}

async function openChapter(dev: Dev): Promise<Page> {
  browser ??= await launchChromium();
  const page = await browser.newPage();
  await page.goto(dev.url.replace('/#', '/site-tour#'));
  await page.getByRole('button', { name: /^Run/ }).first().waitFor({ timeout: 60_000 });
  return page;
}

async function runBlock(page: Page, line: number): Promise<void> {
  const block = page.locator(`.bookrun-block[data-line="${line}"]`);
  await block.getByRole('button', { name: /^Run/ }).click();
  await expect.poll(() => block.getAttribute('data-state'), { timeout: 30_000 }).toBe('passed');
}

afterAll(async () => {
  await browser?.close();
  // Pass or fail, every bookrun dev ends: SIGTERM first, so it stops its Docusaurus dev server, then
  // SIGKILL; and every Docusaurus group seen is ended too (a failing watchdog test would leave one).
  for (const dev of started) {
    const { child } = dev;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
  }
  for (const group of groups) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // ended, as it should have
    }
  }
  rmSync(cwd, { recursive: true, force: true });
  rmSync(buildOut, { recursive: true, force: true });
});

describe('bookrun dev', () => {
  let dev: Dev;

  it('serves the book with notes and status box, and runs a step through the terminal server', async () => {
    dev = await startDev();
    expect(dev.url).toMatch(new RegExp(`^http://localhost:${dev.port}/#token=[A-Za-z0-9_-]{32,}$`));
    const page = await openChapter(dev);
    const article = await page.locator('article').innerText();
    expect(article).toMatch(/Chapter status \(dev only\)/i);
    expect(article).toContain('Explain why the tour matters');
    expect(article).not.toContain('bookrun:');
    await runBlock(page, 22);
    await page.close();
  }, 180_000);

  it('keeps its Run buttons while a production build (bookrun build) runs beside it', async () => {
    // The public build of the same book, into another folder, while the dev server runs.
    const build = spawn(process.execPath, [path.join(root, 'bin/bookrun.mjs'), 'build', '--out', buildOut, '--config', config], {
      cwd: root,
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    build.stdout!.on('data', (d) => (log += d));
    build.stderr!.on('data', (d) => (log += d));
    const code = await new Promise<number | null>((resolve) => build.once('exit', resolve));
    expect(code, log.slice(-3000)).toBe(0);
    expect(existsSync(path.join(buildOut, 'index.html'))).toBe(true);
    // Give the dev server's file watcher the time it would take to pick up a swapped config.
    await new Promise((r) => setTimeout(r, 3000));
    const page = await openChapter(dev);
    expect(await page.locator('article').innerText()).toMatch(/Chapter status \(dev only\)/i);
    await runBlock(page, 22);
    await page.close();
  }, 180_000);

  it('stops its Docusaurus dev server on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => dev.child.once('exit', (code) => resolve(code)));
    dev.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect.poll(async () => fetch(`http://localhost:${dev.port}/`).then(() => 'up', () => 'down'), { timeout: 10_000 }).toBe('down');
  }, 60_000);

  it('leaves no Docusaurus dev server behind when bookrun dev is killed with SIGKILL', async () => {
    const killed = await startDev();
    const [docusaurus] = docusaurusOf(killed);
    expect(docusaurus, killed.output()).toBeDefined();
    const exited = new Promise<void>((resolve) => killed.child.once('exit', () => resolve()));
    killed.child.kill('SIGKILL');
    await exited;
    await expect.poll(() => processGroupGone(docusaurus!.pgid), { timeout: 20_000, interval: 250 }).toBe(true);
    await expect.poll(async () => fetch(`http://localhost:${killed.port}/`).then(() => 'up', () => 'down'), { timeout: 10_000 }).toBe('down');
  }, 180_000);
});
