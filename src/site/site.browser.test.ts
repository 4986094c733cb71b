/**
 * The book site in a real browser (Debian Chromium through playwright-core), served by the real terminal
 * server (`serveTerminal`, as `bookrun serve` does) from a build of the fixture book in src/site/fixtures.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromiumContext } from '../testing/launch-chromium.ts';
import { runBookrun } from '../testing/run-bookrun.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBook } from '../book/read-book.ts';
import { serveTerminal, type TerminalServer } from '../terminal/serve-terminal.ts';
import { buildSite } from './build-site.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtureConfig = path.join(here, 'fixtures', 'book', 'bookrun.yaml');

let buildDir: string;
let workDir: string;
let userDataDir: string;
let server: TerminalServer;
let browser: BrowserContext;
const pageErrors: string[] = [];

async function newPage(): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  return page;
}

/** The text xterm.js shows in the panel of terminal N. */
function terminalText(page: Page, n: number) {
  return page.getByRole('tabpanel', { name: `Terminal ${n}` }).locator('.xterm-rows');
}

function block(page: Page, line: number) {
  return page.locator(`.bookrun-block[data-line="${line}"]`);
}

beforeAll(async () => {
  buildDir = await buildSite({ config: fixtureConfig });
  workDir = mkdtempSync(path.join(os.tmpdir(), 'bookrun-site-work-'));
  userDataDir = mkdtempSync(path.join(os.tmpdir(), 'bookrun-chromium-'));
  const book = await readBook({ config: fixtureConfig });
  server = await serveTerminal({ cwd: workDir, staticDir: buildDir, book, rcfile: null, env: { ...process.env, PS1: '$ ' }, runtimeDir: path.join(workDir, '.runtime') });
  browser = await launchChromiumContext(userDataDir, {
    viewport: { width: 1280, height: 800 },
  });
  await browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  for (const dir of [buildDir, workDir, userDataDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the public site (no token)', () => {
  it('picks a variant, hides the other variants\' commands, keeps the choice in the URL and storage', async () => {
    const page = await newPage();
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.goto(`${server.origin}/site-tour`);
    const onlyEks = page.locator('.bookrun-step', { hasText: 'only on eks' });
    const notEks = page.locator('.bookrun-step', { hasText: 'anywhere but eks' });
    // The book's default variant is gke-serverless.
    await expect.poll(() => page.getByLabel('Variant').inputValue()).toBe('gke-serverless');
    expect(await onlyEks.isVisible()).toBe(false);
    expect(await notEks.isVisible()).toBe(true);

    await page.getByLabel('Variant').selectOption('eks-serverless');
    await expect.poll(() => onlyEks.isVisible()).toBe(true);
    expect(await notEks.isVisible()).toBe(false);
    expect(await onlyEks.locator('.bookrun-step__label').textContent()).toBe('only for EKS');
    await expect.poll(() => new URL(page.url()).searchParams.get('variant')).toBe('eks-serverless');

    // Another chapter, no query string: local storage remembers; the GKE-only block is hidden.
    await page.goto(`${server.origin}/second-chapter`);
    await expect.poll(() => page.getByLabel('Variant').inputValue()).toBe('eks-serverless');
    expect(await page.locator('.bookrun-step', { hasText: 'hello from gke' }).isVisible()).toBe(false);
    expect(await page.getByText('is hidden for eks-serverless').isVisible()).toBe(true);

    // The URL wins over storage.
    await page.goto(`${server.origin}/site-tour?variant=aks-static`);
    await expect.poll(() => page.getByLabel('Variant').inputValue()).toBe('aks-static');
    expect(await notEks.isVisible()).toBe(true);
    expect(await page.locator('.bookrun-step', { hasText: 'serverless flavor' }).isVisible()).toBe(false);
    // …and a variant from a link is remembered for the next chapter.
    await page.goto(`${server.origin}/second-chapter`);
    await expect.poll(() => page.getByLabel('Variant').inputValue()).toBe('aks-static');

    // No terminal without a token: no Run button, a line saying how to run the book, no socket at all.
    expect(await page.getByRole('button', { name: /^Run/ }).count()).toBe(0);
    expect(await page.getByText('npx bookrun connect').first().isVisible()).toBe(true);
    expect(sockets).toEqual([]);
    await page.close();
  });

  it('copies only the commands of the chosen variant', async () => {
    const page = await newPage();
    await page.goto(`${server.origin}/site-tour?variant=eks-static`);
    await expect.poll(() => page.getByLabel('Variant').inputValue()).toBe('eks-static');
    await block(page, 36).getByRole('button', { name: /^Copy/ }).click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe('echo "only on eks"\n\necho "everyone runs this"');
    await page.close();
  });

  it('hydrates without errors or layout shift and never shows annotations, author notes or the TODO list', async () => {
    const page = await newPage();
    await page.addInitScript(() => {
      (window as unknown as { shift: number }).shift = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as unknown as Array<{ value: number; hadRecentInput: boolean }>) {
          if (!e.hadRecentInput) (window as unknown as { shift: number }).shift += e.value;
        }
      }).observe({ type: 'layout-shift', buffered: true });
    });
    // A stored variant other than the default: the server-rendered page shows the default.
    await page.goto(`${server.origin}/site-tour?variant=eks-static`);
    await page.waitForSelector('html[data-has-hydrated="true"]');
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { shift: number }).shift)).toBeLessThan(0.01);
    const text = await page.locator('article').innerText();
    expect(text).not.toContain('bookrun:');
    expect(text).not.toContain('Explain why the tour matters');
    expect(text).not.toContain('Code review');
    expect(text).not.toContain('{lang=');
    expect(text).not.toContain('{#');
    expect(await page.locator('h2#creating').count()).toBe(1);
    expect(await page.locator('.theme-admonition-warning').textContent()).toContain('A note to Windows users');
    expect(await page.getByRole('link', { name: 'site-tour.sh' }).getAttribute('href')).toMatch(/^https:\/\/gist\.github\.com\//);
    expect(pageErrors.filter((e) => /hydrat|#418|#423|#425/i.test(e))).toEqual([]);
    await page.close();
  });
});

describe('with the local terminal (token in the URL fragment)', () => {
  let page: Page;
  /** The terminal socket's frames as the browser saw them: binary or text, and the first byte or the message type. */
  const frames: Array<{ sent: boolean; binary: boolean; head: string | number }> = [];

  beforeAll(async () => {
    page = await newPage();
    page.on('websocket', (ws) => {
      const record = (sent: boolean) => (f: { payload: string | Buffer }) =>
        frames.push(typeof f.payload === 'string' ? { sent, binary: false, head: (JSON.parse(f.payload) as { type: string }).type } : { sent, binary: true, head: f.payload[0]! });
      ws.on('framesent', record(true));
      ws.on('framereceived', record(false));
    });
    await page.goto(`${server.origin}/site-tour?variant=gke-static#token=${server.token}`);
    await page.getByRole('button', { name: /^Run/ }).first().waitFor();
  });

  it('runs a block in Terminal 1 and marks it passed', async () => {
    expect(new URL(page.url()).hash).not.toContain('token');
    await block(page, 22).getByRole('button', { name: /^Run/ }).click();
    await expect.poll(() => terminalText(page, 1).textContent(), { timeout: 20_000 }).toContain('hello from the tour');
    await expect.poll(() => block(page, 22).getAttribute('data-state'), { timeout: 20_000 }).toBe('passed');
    expect(await block(page, 22).getByRole('status').textContent()).toContain('Passed');
    // The page asked for binary output frames: terminal 1's output came as such, everything else as JSON.
    expect(frames.find((f) => f.sent && f.head === 'auth')).toBeDefined();
    expect(frames.filter((f) => !f.sent && f.binary).length).toBeGreaterThan(0);
    expect(frames.filter((f) => !f.sent && f.binary).every((f) => f.head === 1)).toBe(true);
    expect(frames.some((f) => !f.sent && f.head === 'output')).toBe(false);
    expect(frames.some((f) => f.sent && f.binary)).toBe(false);
    expect(frames.some((f) => !f.sent && f.head === 'run-status')).toBe(true);
  });

  it('asks for placeholders before Run and remembers them', async () => {
    const run = block(page, 58).getByRole('button', { name: /^Run/ });
    expect(await run.isDisabled()).toBe(true);
    await block(page, 58).getByRole('textbox').fill('1.2.3');
    expect(await run.isDisabled()).toBe(false);
    await run.click();
    await expect.poll(() => terminalText(page, 1).textContent(), { timeout: 20_000 }).toContain('tour version 1.2.3');
    await expect.poll(() => block(page, 58).getAttribute('data-state'), { timeout: 20_000 }).toBe('passed');
  });

  it('runs a second-terminal step in Terminal 2', async () => {
    await block(page, 85).getByRole('button', { name: /^Run/ }).click();
    await page.getByRole('tab', { name: 'Terminal 2' }).waitFor();
    await expect.poll(() => terminalText(page, 2).textContent(), { timeout: 20_000 }).toContain('second terminal here');
    await expect.poll(() => block(page, 85).getAttribute('data-state'), { timeout: 20_000 }).toBe('passed');
  });

  it('stops a watch with its Stop (ctrl+c) button', async () => {
    await block(page, 75).getByRole('button', { name: /^Run/ }).click();
    const stop = block(page, 75).getByRole('button', { name: 'Stop (ctrl+c)' });
    await stop.waitFor({ timeout: 20_000 });
    await expect.poll(() => terminalText(page, 1).textContent(), { timeout: 20_000 }).toContain('tail -f tour.txt');
    await stop.click();
    await expect.poll(() => block(page, 75).getAttribute('data-state'), { timeout: 20_000 }).toBe('passed');
    expect(await stop.count()).toBe(0);
  });

  it('marks a failing expected output with its diff', async () => {
    await block(page, 92).getByRole('button', { name: /^Run/ }).click();
    await expect.poll(() => block(page, 92).getAttribute('data-state'), { timeout: 20_000 }).toBe('failed');
    const diff = await block(page, 92).locator('.bookrun-diff').innerText();
    expect(diff).toContain('-the expected words');
    expect(diff).toContain('+the actual words');
    expect(await block(page, 92).getByRole('status').textContent()).toContain('output differs');
  });

  it('types into Terminal 1 and interrupts it with the Ctrl+C button', async () => {
    await page.getByRole('tab', { name: 'Terminal 1' }).click();
    await page.getByRole('tabpanel', { name: 'Terminal 1' }).click();
    await page.keyboard.type('echo typed-$((40+2))\n');
    await expect.poll(() => terminalText(page, 1).textContent(), { timeout: 20_000 }).toContain('typed-42');
    await page.keyboard.type('sleep 600\n');
    await page.getByRole('button', { name: 'Send Ctrl+C' }).click();
    await page.getByRole('tabpanel', { name: 'Terminal 1' }).click();
    await page.keyboard.type('echo back-$((1+1))\n');
    await expect.poll(() => terminalText(page, 1).textContent(), { timeout: 20_000 }).toContain('back-2');
  });

  it('resizes the panel by its top edge', async () => {
    const panel = page.getByRole('region', { name: 'Terminals' });
    const before = (await panel.boundingBox())!;
    const handle = (await page.getByRole('separator', { name: 'Resize terminal panel' }).boundingBox())!;
    await page.mouse.move(handle.x + 200, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x + 200, handle.y - 100, { steps: 5 });
    await page.mouse.up();
    const after = (await panel.boundingBox())!;
    expect(after.height).toBeGreaterThan(before.height + 50);
  });

  it('runs a step of a chapter with front matter by the file\'s own line numbers (as the server plans it)', async () => {
    await page.goto(`${server.origin}/second-chapter?variant=gke-static`);
    // The fence is on line 8 of the file (line 5 of what Docusaurus hands the plugin after the front matter).
    await block(page, 8).getByRole('button', { name: /^Run/ }).click();
    await expect.poll(() => terminalText(page, 1).textContent(), { timeout: 20_000 }).toContain('hello from gke');
    await expect.poll(() => block(page, 8).getAttribute('data-state'), { timeout: 20_000 }).toBe('passed');
    await page.goto(`${server.origin}/site-tour?variant=gke-static`);
  });

  it('re-attaches the same shells after a reload', async () => {
    await page.reload();
    await page.getByRole('button', { name: /^Run/ }).first().waitFor();
    await expect.poll(() => terminalText(page, 1).textContent(), { timeout: 20_000 }).toContain('hello from the tour');
    expect(await page.getByRole('tab', { name: 'Terminal 2' }).count()).toBe(1);
    // So are the blocks' results.
    expect(await block(page, 92).getAttribute('data-state')).toBe('failed');
    // The placeholder value is remembered for the chapter.
    expect(await block(page, 58).getByRole('textbox').inputValue()).toBe('1.2.3');
    if (process.env.BOOKRUN_SCREENS) {
      mkdirSync('/tmp/screens', { recursive: true });
      await page.getByRole('heading', { name: 'Choosing A Cloud' }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: '/tmp/screens/chapter-desktop.png' });
      await block(page, 92).scrollIntoViewIfNeeded();
      await page.screenshot({ path: '/tmp/screens/chapter-diff-desktop.png' });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByRole('heading', { name: 'Picking A Version' }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: '/tmp/screens/chapter-narrow.png' });
    }
  });
});

describe('the page judges steps as bookrun run does (one executor, one judge)', () => {
  it('retries a "Repeat if" step and waits for a "Wait until" step, showing the attempts, and passes them as the CLI does', async () => {
    const page = await newPage();
    const statuses: string[] = [];
    await page.goto(`${server.origin}/waiting?variant=gke-static#token=${server.token}`);
    await page.getByRole('button', { name: /^Run/ }).first().waitFor();
    rmSync(path.join(workDir, 'attempts'), { force: true });
    const status = (line: number) => block(page, line).getByRole('status');
    const watching: Array<Promise<void>> = [];
    const watch = (line: number) =>
      watching.push((async () => {
        for (let i = 0; i < 200 && (await block(page, line).getAttribute('data-state')) !== 'passed'; i++) {
          const text = (await status(line).textContent()) ?? '';
          statuses.push(text);
          if (process.env.BOOKRUN_SCREENS && line === 9 && text.includes('attempt 2') && !statuses.includes('shot')) {
            statuses.push('shot');
            mkdirSync('/tmp/screens', { recursive: true });
            await page.screenshot({ path: '/tmp/screens/attempt-running-desktop.png' });
          }
          await page.waitForTimeout(50);
        }
      })());
    await block(page, 9).getByRole('button', { name: /^Run/ }).click();
    watch(9);
    await expect.poll(() => block(page, 9).getAttribute('data-state'), { timeout: 30_000 }).toBe('passed');
    expect(await status(9).textContent()).toBe('Passed after 3 attempts · output as in the book');
    expect(statuses.some((t) => /^Running, attempt 2 \(the output contains "no healthy upstream"\)…$/.test(t))).toBe(true);
    // The reader sees the command typed again, as they would type it.
    await expect.poll(async () => ((await terminalText(page, 1).textContent()) ?? '').split('served').length, { timeout: 20_000 }).toBeGreaterThan(1);

    await block(page, 25).getByRole('button', { name: /^Run/ }).click();
    await expect.poll(() => block(page, 25).getAttribute('data-state'), { timeout: 20_000 }).toBe('passed');
    await block(page, 29).getByRole('button', { name: /^Run/ }).click();
    watch(29);
    await expect.poll(() => block(page, 29).getAttribute('data-state'), { timeout: 30_000 }).toBe('passed');
    expect(await status(29).textContent()).toMatch(/^Passed after \d+ attempts · output as in the book$/);
    expect(statuses.some((t) => /^Running, attempt \d+ \(waiting for the expected output\)…$/.test(t))).toBe(true);
    if (process.env.BOOKRUN_SCREENS) {
      mkdirSync('/tmp/screens', { recursive: true });
      await block(page, 9).scrollIntoViewIfNeeded();
      await page.screenshot({ path: '/tmp/screens/attempts-desktop.png' });
      await page.setViewportSize({ width: 390, height: 844 });
      await block(page, 29).scrollIntoViewIfNeeded();
      await page.screenshot({ path: '/tmp/screens/attempts-narrow.png' });
    }
    await Promise.all(watching);
    await page.close();

    // The CLI on the same chapter, in a fresh folder: the same verdicts from the same judge.
    const cli = mkdtempSync(path.join(os.tmpdir(), 'bookrun-site-cli-'));
    try {
      const result = await runBookrun(['run', path.join(here, 'fixtures', 'book', 'docs', 'waiting.md'), '--variant', 'gke-static', '--cwd', cli, '--no-save-report', '--report', path.join(cli, 'r.json')], cli, { env: { HOME: cli } });
      expect(result.code).toBe(0);
      const report = JSON.parse(readFileSync(path.join(cli, 'r.json'), 'utf8')) as { steps: Array<{ line: number; status: string; attempts: number }> };
      expect(report.steps.find((st) => st.line === 10)).toMatchObject({ status: 'passed', attempts: 3 });
      expect(report.steps.find((st) => st.line === 31)).toMatchObject({ status: 'passed' });
      expect(report.steps.find((st) => st.line === 31)!.attempts).toBeGreaterThan(1);
    } finally {
      rmSync(cli, { recursive: true, force: true });
    }
  });
});

describe('values are data on the page', () => {
  // Ends bracketed paste, erases the typed line (ctrl+u) and types a command of its own.
  const attack = '\u001b[201~\u0015touch pwned #';
  const storageKey = 'bookrun.values:docs/site-tour.md';
  const field = (page: Page) => block(page, 58).getByRole('textbox');
  const pwned = () => existsSync(path.join(workDir, 'pwned'));

  async function openTour(): Promise<Page> {
    const page = await newPage();
    await page.goto(`${server.origin}/site-tour?variant=gke-static#token=${server.token}`);
    await page.getByRole('button', { name: /^Run/ }).first().waitFor();
    return page;
  }

  it('refuses a pasted value with control characters in the field, keeps the good one, and never stores it', async () => {
    const page = await openTour();
    await field(page).fill('2.0');
    await page.evaluate((text) => navigator.clipboard.writeText(text), attack);
    await field(page).focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Control+V');
    // The paste is refused where it happened, saying why; the field keeps what it had.
    await expect.poll(() => block(page, 58).getByRole('alert').textContent()).toContain('ESC (U+001B) at character 1');
    expect(await field(page).inputValue()).toBe('2.0');
    expect(await field(page).getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate((key) => localStorage.getItem(key), storageKey)).not.toContain('\u001b');
    // Run types the good value, as data: nothing of the paste reaches the shell.
    await block(page, 58).getByRole('button', { name: /^Run/ }).click();
    await expect.poll(() => block(page, 58).getAttribute('data-state'), { timeout: 20_000 }).toBe('passed');
    await expect.poll(() => terminalText(page, 1).textContent(), { timeout: 20_000 }).toContain('tour version 2.0');
    expect(pwned()).toBe(false);
    // A good value typed after the refusal clears the message.
    await field(page).fill('2.1');
    expect(await block(page, 58).getByRole('alert').count()).toBe(0);
    if (process.env.BOOKRUN_SCREENS) {
      await field(page).focus();
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Control+V');
      await block(page, 58).scrollIntoViewIfNeeded();
      await page.screenshot({ path: '/tmp/screens/value-refused-desktop.png' });
      await page.setViewportSize({ width: 390, height: 844 });
      await block(page, 58).scrollIntoViewIfNeeded();
      await page.screenshot({ path: '/tmp/screens/value-refused-narrow.png' });
    }
    await page.close();
  });

  it('drops a bad value an older version of the page left in local storage', async () => {
    const page = await openTour();
    await page.evaluate(([key, value]) => localStorage.setItem(key!, JSON.stringify({ TOUR_VERSION: value, OTHER: 'kept' })), [storageKey, attack]);
    await page.reload();
    await page.getByRole('button', { name: /^Run/ }).first().waitFor();
    expect(await field(page).inputValue()).toBe('');
    expect(await block(page, 58).getByRole('button', { name: /^Run/ }).isDisabled()).toBe(true);
    expect(JSON.parse((await page.evaluate((key) => localStorage.getItem(key), storageKey))!)).toEqual({ OTHER: 'kept' });
    expect(pwned()).toBe(false);
    await page.close();
  });

  it('shows the server\'s refusal on the field when a bad value reaches it anyway (rewritten in transit)', async () => {
    const page = await newPage();
    // Between page and server, a run frame's value is swapped for the attack: the server's own check must hold.
    await page.routeWebSocket(/\/terminal$/, (ws) => {
      const upstream = ws.connectToServer();
      ws.onMessage((message) => {
        const frame = JSON.parse(String(message)) as { type: string; values?: Record<string, string> };
        if (frame.type === 'run' && frame.values) frame.values = Object.fromEntries(Object.keys(frame.values).map((k) => [k, attack]));
        upstream.send(JSON.stringify(frame));
      });
      upstream.onMessage((message) => ws.send(message));
    });
    await page.goto(`${server.origin}/site-tour?variant=gke-static#token=${server.token}`);
    await page.getByRole('button', { name: /^Run/ }).first().waitFor();
    await field(page).fill('3.0');
    await block(page, 58).getByRole('button', { name: /^Run/ }).click();
    await expect.poll(() => block(page, 58).getAttribute('data-state'), { timeout: 20_000 }).toBe('error');
    const alert = await block(page, 58).getByRole('alert').textContent();
    expect(alert).toContain('the value of TOUR_VERSION holds ESC (U+001B)');
    expect(await block(page, 58).getByRole('status').textContent()).toContain('the value of TOUR_VERSION was refused');
    expect(pwned()).toBe(false);
    await page.close();
  });
});
