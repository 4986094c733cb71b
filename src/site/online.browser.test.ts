/**
 * Reading the book online and running it locally, in a real browser (Debian Chromium through playwright-core):
 * the public build of src/site/fixtures/online-book, built once, served by a plain static server on a loopback
 * origin (as GitHub Pages or a CDN would serve it), and the real `bookrun connect` CLI started for that origin.
 * The same build from a second origin, with the same pairing, must run nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBook } from '../book/read-book.ts';
import { readBookChapter } from '../book/read-book-chapter.ts';
import { listChildProcesses } from '../terminal/list-session-processes.ts';
import { CHROMIUM_ARGS, launchChromiumContext } from '../testing/launch-chromium.ts';
import { BOOKRUN_BIN } from '../testing/run-bookrun.ts';
import { servePlainStatic, type PlainStaticServer } from '../testing/serve-plain-static.ts';
import { buildSite } from './build-site.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const config = path.join(here, 'fixtures', 'online-book', 'bookrun.yaml');
const CHAPTER = 'docs/reading-online.md';
const SCREENS = process.env.BOOKRUN_SCREENS ? path.resolve(process.env.BOOKRUN_SCREENS) : null;

let buildDir: string;
let work: string;
let reports: string;
let userDataDir: string;
let web: PlainStaticServer;
let other: PlainStaticServer;
let connect: ChildProcess;
let connectExit: Promise<number | null>;
let pairingUrl: string;
let browser: BrowserContext;
const pageErrors: string[] = [];

async function newPage(): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return page;
}

const block = (page: Page, line: number) => page.locator(`.bookrun-block[data-line="${line}"]`);
// By id: a terminal whose tab is not the active one is hidden, and roles skip hidden elements.
const terminalText = (page: Page, n: number) => page.locator(`#bookrun-terminal-${n} .xterm-rows`);
const state = (page: Page, line: number) => block(page, line).getAttribute('data-state');

async function shot(page: Page, name: string): Promise<void> {
  if (!SCREENS) return;
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENS, `${name}.png`) });
}

/** Run reports as `bookrun run` saves them: gke-static passed for the chapter's current text, eks-static failed. */
async function writeReports(dir: string): Promise<void> {
  const book = await readBook({ config });
  const { sha256, chapter } = await readBookChapter(book, path.join(book.root, CHAPTER));
  const report = (variant: string, status: 'passed' | 'failed', startedAt: string, steps: unknown[]) => ({
    version: 1,
    chapter: { title: chapter.title, file: CHAPTER, sha256 },
    variant: { name: variant, values: { cloud: variant.split('-')[0], flavor: 'static' } },
    status,
    startedAt,
    durationMs: 4200,
    steps,
  });
  mkdirSync(path.join(dir, 'gke-static'), { recursive: true });
  writeFileSync(
    path.join(dir, 'gke-static', 'reading-online.json'),
    JSON.stringify(report('gke-static', 'passed', '2026-11-30T09:15:00.000Z', [
      { id: 'L22', line: 22, status: 'passed', output: 'deploying go-demo-6\n', expect: { matched: true, diff: '' } },
      { id: 'L58', line: 58, status: 'passed', output: 'rollout in progress\nrollout complete\n', expect: { matched: true, diff: '' } },
    ])),
  );
  writeFileSync(
    path.join(dir, 'eks-static.json'),
    JSON.stringify(report('eks-static', 'failed', '2026-11-29T18:02:00.000Z', [{ id: 'L58', line: 58, status: 'failed', output: 'rollout in progress\n', expect: { matched: false, diff: '-rollout complete' } }])),
  );
}

/** Starts the real `bookrun connect` for the first origin (on `port`, or any free one); sets `connect` and `pairingUrl`. */
async function startConnect(port?: number): Promise<void> {
  connect = spawn(process.execPath, [BOOKRUN_BIN, 'connect', `${web.origin}/reading-online`, '--no-open', '--cwd', work, ...(port ? ['--port', String(port)] : [])], {
    cwd: work,
    env: { ...process.env, HOME: work, PS1: '$ ', BOOKRUN_RUNTIME_DIR: path.join(work, '.runtime') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  connectExit = new Promise((resolve) => connect.on('exit', (code) => resolve(code)));
  let out = '';
  let err = '';
  connect.stdout!.on('data', (d) => (out += d));
  connect.stderr!.on('data', (d) => (err += d));
  for (let i = 0; i < 600 && !out.includes('\n'); i++) await new Promise((r) => setTimeout(r, 50));
  const match = /^bookrun: (\S+)$/m.exec(out);
  if (!match) throw new Error(`bookrun connect printed no URL: ${out}${err}`);
  pairingUrl = match[1]!;
}

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'bookrun-online-work-'));
  reports = mkdtempSync(path.join(os.tmpdir(), 'bookrun-online-reports-'));
  userDataDir = mkdtempSync(path.join(os.tmpdir(), 'bookrun-online-chromium-'));
  await writeReports(reports);
  // Downloaded CI artifacts, as a book's CI would hand them to the build.
  process.env.BOOKRUN_REPORTS = reports;
  buildDir = await buildSite({ config });
  web = await servePlainStatic(buildDir);
  other = await servePlainStatic(buildDir);
  await startConnect();
  browser = await launchChromiumContext(userDataDir, { viewport: { width: 1280, height: 800 } });
  for (const origin of [web.origin, other.origin]) await browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  connect?.kill('SIGTERM');
  await connectExit;
  await web?.close();
  await other?.close();
  delete process.env.BOOKRUN_REPORTS;
  for (const dir of [buildDir, work, reports, userDataDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the unpaired page (no bookrun connect)', () => {
  it('makes no request to this machine beyond its own origin, and says in one line how to start a terminal, with this book\'s address', async () => {
    const page = await newPage();
    const requests: string[] = [];
    const sockets: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.goto(`${web.origin}/reading-online`);
    await page.waitForSelector('html[data-has-hydrated="true"]');
    await page.waitForTimeout(500);
    expect(sockets).toEqual([]);
    expect(requests.filter((url) => !url.startsWith(`${web.origin}/`) && !url.startsWith('data:'))).toEqual([]);
    const hint = page.locator('.bookrun-bar__hint');
    expect(await hint.innerText()).toContain(`npx bookrun connect ${web.origin}/`);
    await hint.getByRole('button', { name: 'Copy the bookrun connect command' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`npx bookrun connect ${web.origin}/`);
    expect(await page.getByRole('button', { name: /^Run/ }).count()).toBe(0);
    // Gist links are never `TODO:`: the one the author left points to the gist the build published.
    const gist = page.getByRole('link', { name: 'reading-online.sh' });
    expect(await gist.getAttribute('href')).toBe('/bookrun/gists/reading-online.sh');
    const script = await (await fetch(`${web.origin}/bookrun/gists/reading-online.sh`)).text();
    expect(script).toContain('echo "second terminal, app: $(cat app.txt)"');
    await shot(page, 'unpaired-desktop');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'unpaired-narrow');
    await page.close();
  });

  it('takes placeholder values online, and Copy fills them in, copying one terminal\'s commands at a time', async () => {
    const page = await newPage();
    await page.goto(`${web.origin}/reading-online?variant=gke-static`);
    await page.waitForSelector('html[data-has-hydrated="true"]');
    await block(page, 19).getByRole('textbox').fill('go-demo-6');
    await block(page, 19).getByRole('button', { name: /^Copy/ }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('APP_NAME=go-demo-6\n\necho "deploying $APP_NAME" | tee app.txt');
    // A block spanning two terminals: a Copy per terminal, and a visible split where the second one starts.
    const two = block(page, 33);
    await two.getByRole('button', { name: 'Copy the commands for gke-static in terminal 1' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('echo "first terminal" > first.txt\n\ncat first.txt');
    await two.getByRole('button', { name: 'Copy the commands for gke-static in terminal 2' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('echo "second terminal, app: $(cat app.txt)"');
    expect(await two.locator('.bookrun-step__terminal').allInnerTexts()).toEqual(['in terminal 2 (a second terminal)', 'back in the first terminal']);
    // The chosen variant's commands only.
    await block(page, 67).getByRole('button', { name: /^Copy/ }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('rm -f app.txt first.txt rollout.txt');
    await page.getByLabel('Variant').selectOption('eks-static');
    await block(page, 67).getByRole('button', { name: /^Copy/ }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('rm -f app.txt first.txt rollout.txt\n\necho "eks clean-up done"');
    await page.close();
  });

  it('shows "Verified on" from the run reports, per variant, and beside a block the output of that run', async () => {
    const page = await newPage();
    await page.goto(`${web.origin}/reading-online?variant=gke-static`);
    await page.waitForSelector('html[data-has-hydrated="true"]');
    const line = page.locator('.bookrun-verified:visible');
    expect(await line.innerText()).toBe('Verified on gke-static, 30 November 2026');
    const evidence = block(page, 19).locator('.bookrun-evidence:visible');
    expect(await evidence.locator('summary').innerText()).toBe('What the run on gke-static printed, 30 November 2026: as in the book');
    await evidence.locator('summary').click();
    await page.evaluate(() => window.scrollTo(0, 0));
    expect(await evidence.locator('figure').allInnerTexts()).toEqual(['The book\ndeploying go-demo-6', 'The run on gke-static\ndeploying go-demo-6']);
    await shot(page, 'verified-desktop');
    await evidence.locator('summary').scrollIntoViewIfNeeded();
    await shot(page, 'verified-evidence-desktop');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'verified-narrow');
    await evidence.locator('summary').scrollIntoViewIfNeeded();
    await shot(page, 'verified-evidence-narrow');
    await page.getByLabel('Variant').selectOption('eks-static');
    await expect.poll(() => line.innerText()).toBe('Not verified on this variant: the last run on eks-static (29 November 2026) failed at line 58');
    expect(await block(page, 55).locator('.bookrun-evidence:visible summary').innerText()).toBe('What the run on eks-static printed, 29 November 2026: not as in the book');
    await page.close();
  });
});

describe('paired with bookrun connect', () => {
  let page: Page;
  const sentOpens: Array<{ terminal: number; cols?: number; rows?: number }> = [];

  beforeAll(async () => {
    page = await newPage();
    page.on('websocket', (ws) =>
      ws.on('framesent', (frame) => {
        const message = JSON.parse(String(frame.payload)) as { type: string; terminal: number; cols?: number; rows?: number };
        if (message.type === 'open') sentOpens.push(message);
      }),
    );
    await page.goto(pairingUrl);
    await page.getByRole('button', { name: /^Run/ }).first().waitFor({ timeout: 30_000 });
  });

  it('takes the pairing from the fragment for the tab, out of the address bar, and never puts it back when the variant changes', async () => {
    expect(new URL(page.url()).hash).toBe('');
    const kept = await page.evaluate(() => sessionStorage.getItem('bookrun.pairing'));
    expect(JSON.parse(kept!)).toMatchObject({ port: Number(new URL(pairingUrl).hash.match(/port=(\d+)/)![1]) });
    await page.getByLabel('Variant').selectOption('eks-static');
    await expect.poll(() => new URL(page.url()).searchParams.get('variant')).toBe('eks-static');
    expect(page.url()).not.toContain('token');
    await page.getByLabel('Variant').selectOption('gke-static');
    await expect.poll(() => new URL(page.url()).searchParams.get('variant')).toBe('gke-static');
    expect(page.url()).not.toContain('token');
  });

  it('runs a block in a shell that starts at the panel\'s size, and keeps the focus on Run', async () => {
    const run = block(page, 11).getByRole('button', { name: /^Run/ });
    await run.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => state(page, 11), { timeout: 20_000 }).toBe('passed');
    const open = sentOpens.find((m) => m.terminal === 1)!;
    expect(open.cols).toBeGreaterThan(80);
    await expect.poll(() => terminalText(page, 1).textContent()).toContain(`terminal is ${open.cols} columns wide`);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Run the commands at line 11');
    expect(await terminalText(page, 1).textContent()).not.toContain('^[[200~');
  });

  it('runs a step with a placeholder value and a block across two terminals', async () => {
    await block(page, 19).getByRole('textbox').fill('go-demo-6');
    await block(page, 19).getByRole('button', { name: /^Run/ }).click();
    await expect.poll(() => state(page, 19), { timeout: 20_000 }).toBe('passed');
    expect(await block(page, 19).getByRole('status').textContent()).toContain('output as in the book');
    await block(page, 33).getByRole('button', { name: /^Run/ }).click();
    await page.getByRole('tab', { name: 'Terminal 2' }).waitFor({ timeout: 20_000 });
    await expect.poll(() => state(page, 33), { timeout: 20_000 }).toBe('passed');
    // The block ends in terminal 1, which hides terminal 2, and xterm.js draws no hidden terminal: show it to read it.
    await page.getByRole('tab', { name: 'Terminal 2' }).click();
    await expect.poll(() => terminalText(page, 2).textContent(), { timeout: 20_000 }).toContain('second terminal, app: deploying go-demo-6');
    const twoSize = sentOpens.find((m) => m.terminal === 2)!;
    expect(twoSize.cols).toBe(sentOpens.find((m) => m.terminal === 1)!.cols);
  });

  it('passes a watch the book says to stop with ctrl+c, and does not pass one stopped before its expected output', async () => {
    await block(page, 47).getByRole('button', { name: /^Run/ }).click();
    const stop = block(page, 47).getByRole('button', { name: 'Stop (ctrl+c)' });
    await stop.waitFor({ timeout: 20_000 });
    await expect.poll(() => terminalText(page, 1).textContent(), { timeout: 20_000 }).toContain('tail -f app.txt');
    await stop.click();
    await expect.poll(() => state(page, 47), { timeout: 20_000 }).toBe('passed');

    await block(page, 55).getByRole('button', { name: /^Run/ }).click();
    const stop2 = block(page, 55).getByRole('button', { name: 'Stop (ctrl+c)' });
    await stop2.waitFor({ timeout: 20_000 });
    await expect.poll(() => terminalText(page, 1).textContent(), { timeout: 20_000 }).toContain('tail -f rollout.txt');
    await stop2.click();
    await expect.poll(() => state(page, 55), { timeout: 20_000 }).toBe('interrupted');
    expect(await block(page, 55).getByRole('status').textContent()).toBe('Stopped: stopped by hand before its output matched');
  });

  it('follows a step across a reload: still running after it, then its verdict', async () => {
    await block(page, 55).getByRole('button', { name: /^Run/ }).click();
    await block(page, 55).getByRole('button', { name: 'Stop (ctrl+c)' }).waitFor({ timeout: 20_000 });
    await page.reload();
    await page.getByRole('button', { name: /^Run/ }).first().waitFor({ timeout: 20_000 });
    await expect.poll(() => state(page, 55), { timeout: 20_000 }).toBe('running');
    expect(await state(page, 19)).toBe('passed');
    await shot(page, 'paired-desktop');
    await page.setViewportSize({ width: 390, height: 844 });
    await block(page, 55).scrollIntoViewIfNeeded();
    await shot(page, 'paired-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });
    // The panel fits a small screen.
    await page.setViewportSize({ width: 844, height: 390 });
    const panel = (await page.getByRole('region', { name: 'Terminals' }).boundingBox())!;
    expect(panel.height).toBeLessThanOrEqual(390 * 0.6 + 1);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('button', { name: 'Send Ctrl+C' }).click();
    await expect.poll(() => state(page, 55), { timeout: 20_000 }).toBe('interrupted');
  });

  it('never types into a busy shell: it asks, and "Stop it and Run" runs once the shell is back', async () => {
    await page.getByRole('tab', { name: 'Terminal 1' }).click();
    await page.getByRole('tabpanel', { name: 'Terminal 1' }).click();
    await page.keyboard.type('sleep 600\n');
    await page.waitForTimeout(300);
    await block(page, 11).getByRole('button', { name: /^Run/ }).click();
    await expect.poll(() => state(page, 11), { timeout: 20_000 }).toBe('busy');
    expect(await block(page, 11).getByRole('status').textContent()).toContain('`sleep` is running in it');
    await block(page, 11).getByRole('button', { name: 'Stop it (ctrl+c) and Run' }).click();
    await expect.poll(() => state(page, 11), { timeout: 20_000 }).toBe('passed');
  });

  it('lets the keyboard leave the terminal (Escape, then Tab) and reads it to screen readers', async () => {
    await page.getByRole('tabpanel', { name: 'Terminal 1' }).click();
    expect(await page.evaluate(() => document.activeElement?.classList.contains('xterm-helper-textarea'))).toBe(true);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('xterm-helper-textarea'))).toBe(false);
    expect(await page.getByRole('tabpanel', { name: 'Terminal 1' }).locator('.xterm-accessibility').count()).toBe(1);
    expect(await page.getByRole('tabpanel', { name: 'Terminal 1' }).getAttribute('aria-describedby')).toBe('bookrun-terminal-keys');
  });

  it('shows passed and failed states in colours of at least 4.5:1 contrast, light and dark', async () => {
    const ratio = (line: number) =>
      block(page, line)
        .getByRole('status')
        .evaluate((el) => {
          const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
          const lum = ([r, g, b]: number[]) => {
            const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
            return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
          };
          // The nearest opaque background up the tree; none at all is the canvas, white.
          let bg = 'rgba(0, 0, 0, 0)';
          for (let node: Element | null = el; node && /rgba\(0, 0, 0, 0\)|transparent/.test(bg); node = node.parentElement) bg = getComputedStyle(node).backgroundColor;
          if (/rgba\(0, 0, 0, 0\)|transparent/.test(bg)) bg = 'rgb(255, 255, 255)';
          const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(rgb(bg))];
          return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        });
    for (const theme of ['light', 'dark']) {
      await page.evaluate((t) => document.documentElement.setAttribute('data-theme', t), theme);
      expect(await state(page, 19)).toBe('passed');
      expect(await ratio(19), `passed, ${theme}`).toBeGreaterThanOrEqual(4.5);
      expect(await state(page, 55)).toBe('interrupted');
      expect(await ratio(55), `stopped, ${theme}`).toBeGreaterThanOrEqual(4.5);
    }
    await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'));
  });

  it('refuses a tampered run request: a step id with another step\'s digest, nothing typed', async () => {
    const tampered = await newPage();
    await tampered.routeWebSocket(/\/terminal$/, (ws) => {
      const upstream = ws.connectToServer();
      ws.onMessage((message) => {
        const frame = JSON.parse(String(message)) as { type: string; step?: string };
        // The page asks for its own step; in transit it becomes the clean-up step, keeping the page's digest.
        if (frame.type === 'run') frame.step = 'L68';
        upstream.send(JSON.stringify(frame));
      });
      upstream.onMessage((message) => ws.send(message));
    });
    writeFileSync(path.join(work, 'first.txt'), 'keep me\n');
    await tampered.goto(pairingUrl);
    await tampered.getByRole('button', { name: /^Run/ }).first().waitFor({ timeout: 20_000 });
    await block(tampered, 11).getByRole('button', { name: /^Run/ }).click();
    await expect.poll(() => state(tampered, 11), { timeout: 20_000 }).toBe('error');
    expect(await block(tampered, 11).getByRole('status').textContent()).toContain('is not the command this page shows');
    expect(existsSync(path.join(work, 'first.txt'))).toBe(true);
    await tampered.close();
  });
});

describe('after bookrun connect restarts', () => {
  it('clears the old states: a Passed of the old shells says nothing of the new ones, and Run works with the new pairing', async () => {
    const page = await newPage();
    await page.goto(pairingUrl);
    await page.getByRole('button', { name: /^Run/ }).first().waitFor({ timeout: 20_000 });
    await block(page, 11).getByRole('button', { name: /^Run/ }).click();
    await expect.poll(() => state(page, 11), { timeout: 20_000 }).toBe('passed');
    // The Passed is kept for the tab (a reload shows it again), under the session it ran in.
    const kept = JSON.parse((await page.evaluate(() => sessionStorage.getItem('bookrun.blocks')))!) as { session: string; blocks: Record<string, { status: string }> };
    expect(Object.values(kept.blocks).map((b) => b.status)).toContain('passed');
    const oldPairing = pairingUrl;
    const port = Number(new URL(pairingUrl).hash.match(/port=(\d+)/)![1]);
    connect.kill('SIGTERM');
    expect(await connectExit).toBe(0);
    // The page says its terminal went away (it keeps trying a few times, with the token it has).
    await expect.poll(() => page.locator('.bookrun-panel__status').innerText(), { timeout: 20_000 }).toContain(`bookrun connect (127.0.0.1:${port})`);
    await startConnect(port);
    expect(Number(new URL(pairingUrl).hash.match(/port=(\d+)/)![1])).toBe(port);
    expect(pairingUrl).not.toBe(oldPairing);
    // The reader opens the new link in the same tab (same sessionStorage, so the old Passed is still there): a new
    // token, and a new session on the server.
    const loadedBefore = await page.evaluate(() => performance.timeOrigin);
    await page.goto(pairingUrl);
    expect(await page.evaluate(() => performance.timeOrigin)).not.toBe(loadedBefore);
    await expect.poll(() => page.locator('.bookrun-panel__status').getAttribute('data-connection'), { timeout: 20_000 }).toBe('ready');
    await expect.poll(() => state(page, 11), { timeout: 20_000 }).toBe('idle');
    expect(await block(page, 11).getByRole('status').textContent()).toBe('Not run');
    const now = JSON.parse((await page.evaluate(() => sessionStorage.getItem('bookrun.blocks')))!) as { session: string; blocks: Record<string, unknown> };
    expect(now.session).not.toBe(kept.session);
    expect(now.blocks).toEqual({});
    // Run works with the new pairing, in a new shell of the new server.
    await block(page, 11).getByRole('button', { name: /^Run/ }).click();
    await expect.poll(() => state(page, 11), { timeout: 20_000 }).toBe('passed');
    await expect.poll(() => terminalText(page, 1).textContent()).toContain('columns wide');
    await page.close();
  });
});

describe('another origin with the same pairing', () => {
  it('runs nothing: bookrun connect refuses it, and the page says what to check', async () => {
    const page = await newPage();
    const url = new URL(pairingUrl);
    const shells = listChildProcesses(connect.pid!).length;
    await page.goto(`${other.origin}${url.pathname}${url.hash}`);
    await expect.poll(() => page.locator('.bookrun-panel__status').innerText(), { timeout: 20_000 }).toContain('It trusts only the address it was given');
    expect(await page.getByRole('button', { name: /^Run/ }).count()).toBe(0);
    // Even a page script that tries by itself gets no socket.
    const opened = await page.evaluate(
      ([port, token]) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}/terminal`, ['bookrun', `bookrun.token.${token}`]);
          ws.onopen = () => resolve('open');
          ws.onerror = () => resolve('refused');
        }),
      [url.hash.match(/port=(\d+)/)![1]!, url.hash.match(/token=([^&]+)/)![1]!],
    );
    expect(opened).toBe('refused');
    // bookrun connect started no shell for it.
    expect(listChildProcesses(connect.pid!).length).toBe(shells);
    await page.close();
  });
});

describe('a page on the web (not on this machine): the browser asks first', () => {
  let web2: BrowserContext;
  let dir2: string;
  beforeAll(async () => {
    dir2 = mkdtempSync(path.join(os.tmpdir(), 'bookrun-online-chromium-web-'));
    // book.test is the book's public name here; what Chromium decides about it is stubbed below, not what is tested.
    web2 = await launchChromiumContext(dir2, { viewport: { width: 1280, height: 800 }, args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP book.test 127.0.0.1'] });
  });
  afterAll(async () => {
    await web2?.close();
    if (dir2) rmSync(dir2, { recursive: true, force: true });
  });

  async function open(state: 'prompt' | 'denied'): Promise<{ page: Page; sockets: string[] }> {
    const page = await web2.newPage();
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    // The permission as Chromium would report it before the reader was asked (prompt), or after they said no.
    await page.addInitScript((s) => {
      const query = navigator.permissions.query.bind(navigator.permissions);
      navigator.permissions.query = ((d: PermissionDescriptor) =>
        /loopback|local-network/.test(String(d.name)) ? Promise.resolve({ state: s } as PermissionStatus) : query(d)) as typeof navigator.permissions.query;
    }, state);
    const url = new URL(pairingUrl);
    await page.goto(`http://book.test:${web.port}${url.pathname}${url.hash}`);
    await page.waitForSelector('html[data-has-hydrated="true"]');
    return { page, sockets };
  }

  it('says what the reader is allowing, and connects only when they click (the prompt follows a gesture)', async () => {
    const { page, sockets } = await open('prompt');
    const status = page.locator('.bookrun-panel__status');
    await expect.poll(() => status.innerText()).toContain('Your browser will ask whether this site may reach devices on your local network');
    expect(await status.innerText()).toContain(`bookrun connect, on this computer (127.0.0.1:${new URL(pairingUrl).hash.match(/port=(\d+)/)![1]})`);
    await page.waitForTimeout(300);
    expect(sockets).toEqual([]);
    await shot(page, 'permission-desktop');
    await page.getByRole('button', { name: 'Connect to my terminal' }).click();
    await expect.poll(() => sockets.length).toBe(1);
    expect(sockets[0]).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/terminal$/);
    // This test's book.test is not the origin bookrun connect was started for: it refuses, and the page says so.
    await expect.poll(() => status.innerText(), { timeout: 20_000 }).toContain('It trusts only the address it was given');
    await page.close();
  });

  it('says that an http:// page from another host can never reach the terminal, and tries nothing', async () => {
    const { page, sockets } = await open('denied');
    await expect.poll(() => page.locator('.bookrun-panel__status').innerText()).toContain('served over http:// from another host');
    await page.waitForTimeout(300);
    expect(sockets).toEqual([]);
    await page.close();
  });
});

it('hydrates the online pages without errors', () => {
  expect(pageErrors.filter((e) => /hydrat|#418|#423|#425/i.test(e))).toEqual([]);
});
