import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTerminalClient } from '../../terminal/connect-terminal-client.ts';
import { listChildProcesses, listSessionProcesses } from '../../terminal/list-session-processes.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(repo, 'bin', 'bookrun.mjs');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'bookrun-serve-'));
  cpSync(path.join(repo, 'src/terminal/fixtures/book'), dir, { recursive: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], cwd: string): { child: ChildProcess; stdout: () => string; stderr: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
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
    expect(r.stderr()).toContain('run npm run build first');
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
});
