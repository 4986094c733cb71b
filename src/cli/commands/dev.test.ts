/**
 * `bookrun dev` (npm start): the Docusaurus dev server and the terminal server together, the token handed
 * to the page in the printed URL. Real processes, real browser.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../testing/launch-chromium.ts';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const config = path.join(root, 'src/site/fixtures/book/bookrun.yaml');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

let child: ChildProcess | undefined;
let browser: Browser | undefined;
const cwd = mkdtempSync(path.join(os.tmpdir(), 'bookrun-dev-'));

afterAll(async () => {
  await browser?.close();
  // Pass or fail, bookrun dev ends: SIGTERM first, so it stops its Docusaurus dev server (a process group of
  // its own, which a SIGKILL of bookrun dev would leave running), then SIGKILL if it does not exit.
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child!.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child!.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(cwd, { recursive: true, force: true });
});

describe('bookrun dev', () => {
  it('serves the book with notes and status box, and runs a step through the terminal server', async () => {
    const port = await freePort();
    child = spawn(process.execPath, [path.join(root, 'bin/bookrun.mjs'), 'dev', '--no-open', '--port', String(port), '--cwd', cwd, '--config', config], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own generated-files folder: never races a build running beside it.
      env: {
        ...process.env,
        DOCUSAURUS_GENERATED_FILES_DIR_NAME: path.relative(root, path.join(cwd, '.docusaurus')),
        // The persistent bundler cache would resolve `@generated/…` to another build's files.
        DOCUSAURUS_NO_PERSISTENT_CACHE: 'true',
      },
    });
    let output = '';
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child!.stdout!.on('data', (d: Buffer) => {
        output += d.toString();
        const m = /bookrun: (http:\/\/localhost:\d+\/#token=\S+)/.exec(output);
        if (m) resolve(m[1]!);
      });
      child!.once('exit', () => reject(new Error(`bookrun dev exited:\n${output}`)));
    });
    expect(url).toMatch(new RegExp(`^http://localhost:${port}/#token=[A-Za-z0-9_-]{32,}$`));

    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(url.replace('/#', '/site-tour#'));
    await page.getByRole('button', { name: /^Run/ }).first().waitFor({ timeout: 60_000 });
    const article = await page.locator('article').innerText();
    expect(article).toMatch(/Chapter status \(dev only\)/i);
    expect(article).toContain('Explain why the tour matters');
    expect(article).not.toContain('bookrun:');

    const block = page.locator('.bookrun-block[data-line="22"]');
    await block.getByRole('button', { name: /^Run/ }).click();
    await expect.poll(() => block.getAttribute('data-state'), { timeout: 30_000 }).toBe('passed');

    // Stopping bookrun dev stops the Docusaurus dev server too.
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect.poll(async () => (await fetch(`http://localhost:${port}/`).then(() => 'up', () => 'down')), { timeout: 10_000 }).toBe('down');
  }, 180_000);
});
