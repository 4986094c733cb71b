import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTerminalClient } from '../../terminal/connect-terminal-client.ts';
import { listChildProcesses, listSessionProcesses } from '../../terminal/list-session-processes.ts';
import { listProcesses } from '../../run/list-processes.ts';
import { launchChromium } from '../../testing/launch-chromium.ts';
import { copyFixture } from '../../testing/copy-fixture.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(repo, 'bin', 'bookrun.mjs');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'bookrun-serve-'));
  copyFixture(path.join(repo, 'src/terminal/fixtures/book'), dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv = { ...process.env, BOOKRUN_RUNTIME_DIR: path.join(dir, '.runtime') }): { child: ChildProcess; stdout: () => string; stderr: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

describe('bookrun serve', () => {
  it('says to build first and exits 2 when the book has no build/', async () => {
    const r = run(['serve', '--no-open'], dir);
    expect(await r.exit).toBe(2);
    expect(r.stderr()).toContain('run npx bookrun build first');
  });

  it('refuses a bad --port and a missing --cwd with exit 2', async () => {
    const a = run(['serve', '--no-open', '--port', 'http'], dir);
    expect(await a.exit).toBe(2);
    expect(a.stderr()).toContain('--port http');
    const b = run(['serve', '--no-open', '--cwd', 'no/such/folder'], dir);
    expect(await b.exit).toBe(2);
    expect(b.stderr()).toContain('no such folder');
  });

  it('serves the built book and the terminal from one origin, then ends every shell on SIGTERM', async () => {
    mkdirSync(path.join(dir, 'build'), { recursive: true });
    writeFileSync(path.join(dir, 'build', 'index.html'), '<!doctype html><title>Terminal Fixture Book</title>');
    const work = mkdtempSync(path.join(tmpdir(), 'bookrun-serve-cwd-'));
    const r = run(['serve', '--no-open', '--cwd', work], dir);
    try {
      for (let i = 0; i < 300 && !/bookrun: http/.test(r.stdout()); i++) await new Promise((res) => setTimeout(res, 50));
      const match = r.stdout().match(/^bookrun: (http:\/\/127\.0\.0\.1:(\d+)\/#token=([A-Za-z0-9_-]{43}))$/m);
      expect(match, r.stdout() + r.stderr()).not.toBeNull();
      const [, , port, token] = match!;
      const page = await fetch(`http://127.0.0.1:${port}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      expect(await page.text()).toContain('Terminal Fixture Book');
      expect((await fetch(`http://127.0.0.1:${port}/%2e%2e/bookrun.yaml`)).status).toBe(404);

      const client = await connectTerminalClient(`ws://127.0.0.1:${port}/terminal`);
      client.send({ type: 'auth', token });
      await client.next((m) => m.type === 'ready');
      client.send({ type: 'open', terminal: 1 });
      client.send({ type: 'input', terminal: 1, data: 'sleep 1007 & echo "in=$PWD shell=$$"\r' });
      const text = await client.waitOutput(1, /in=\S+ shell=\d+/, 20_000);
      expect(text).toContain(`in=${work}`);
      const sid = Number(text.match(/shell=(\d+)/)![1]);
      expect(listChildProcesses(r.child.pid!).map((p) => p.pid)).toContain(sid);
      r.child.kill('SIGTERM');
      expect(await r.exit).toBe(0);
      expect(listSessionProcesses(sid)).toEqual([]);
      await client.closed;
    } finally {
      r.child.kill('SIGKILL');
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('opens the browser through a 0600 file under HOME, never with the token in any process\'s arguments', async () => {
    mkdirSync(path.join(dir, 'build'), { recursive: true });
    writeFileSync(path.join(dir, 'build', 'index.html'), '<!doctype html><title>Terminal Fixture Book</title>');
    const home = mkdtempSync(path.join(tmpdir(), 'bookrun-serve-home-'));
    const fakeBin = mkdtempSync(path.join(tmpdir(), 'bookrun-serve-bin-'));
    const log = path.join(fakeBin, 'xdg-open.log');
    // A fake opener that records its arguments (NUL-separated) and what every process's command line holds then.
    writeFileSync(
      path.join(fakeBin, 'xdg-open'),
      `#!/bin/sh\nprintf '%s\\0' "$@" > ${JSON.stringify(log)}.tmp\nfor f in /proc/[0-9]*/cmdline; do cat "$f" 2>/dev/null; printf '\\n'; done > ${JSON.stringify(log)}.ps\nmv ${JSON.stringify(log)}.tmp ${JSON.stringify(log)}\n`,
    );
    chmodSync(path.join(fakeBin, 'xdg-open'), 0o755);
    const env = { ...process.env, HOME: home, PATH: `${fakeBin}:${process.env.PATH}`, XDG_DATA_HOME: undefined, BOOKRUN_RUNTIME_DIR: undefined };
    const r = run(['serve', '--port', '0'], dir, env);
    try {
      for (let i = 0; i < 300 && !(/bookrun: http/.test(r.stdout()) && existsSync(log)); i++) await new Promise((res) => setTimeout(res, 50));
      const match = r.stdout().match(/^bookrun: (http:\/\/127\.0\.0\.1:(\d+)\/#token=([A-Za-z0-9_-]{43}))$/m);
      expect(match, r.stdout() + r.stderr()).not.toBeNull();
      const [, url, port, token] = match!;
      const args = readFileSync(log, 'utf8').split('\0').filter(Boolean);
      expect(args).toHaveLength(1);
      for (const arg of args) expect(arg).not.toContain(token);
      // Nor in any process's command line while the opener ran, nor now.
      expect(readFileSync(`${log}.ps`, 'utf8')).not.toContain(token);
      expect(listProcesses(() => true).some((p) => {
        try {
          return readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').includes(token);
        } catch {
          return false;
        }
      })).toBe(false);

      const file = args[0]!;
      const runtime = path.join(home, '.local', 'share', 'bookrun', 'runtime');
      expect(path.dirname(file)).toBe(runtime);
      expect(path.basename(file)).toBe(`open-${port}.html`);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(runtime).mode & 0o777).toBe(0o700);
      expect(readFileSync(file, 'utf8')).toContain(`content="0;url=${url}"`);

      // A real browser opening the file lands on the tokened URL.
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        await page.goto(`file://${file}`);
        await page.waitForURL((u) => u.href === url, { timeout: 20_000 });
        expect(await page.title()).toBe('Terminal Fixture Book');
      } finally {
        await browser.close();
      }

      r.child.kill('SIGTERM');
      expect(await r.exit).toBe(0);
      expect(existsSync(file)).toBe(false);
      expect(readdirSync(runtime)).toEqual([]);
    } finally {
      r.child.kill('SIGKILL');
      rmSync(home, { recursive: true, force: true });
      rmSync(fakeBin, { recursive: true, force: true });
    }
  });
});
