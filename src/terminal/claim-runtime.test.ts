import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listMarkedProcesses, readProcessInfo } from '../run/list-processes.ts';
import { claimRuntime } from './claim-runtime.ts';
import { readServerRecords } from './read-server-records.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const tsx = path.resolve(here, '../../node_modules/.bin/tsx');
let dir: string;
let scratch: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'bookrun-claim-runtime-'));
  scratch = mkdtempSync(path.join(tmpdir(), 'bookrun-claim-scratch-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

describe('claimRuntime', () => {
  it('records this server (0600: pid, start time, marker, rc file, never a token) and removes it all on release', async () => {
    const runtime = await claimRuntime(dir, null);
    const [entry, ...more] = readServerRecords(dir);
    expect(more).toEqual([]);
    expect(entry!.record).toMatchObject({ version: 1, pid: process.pid, startTime: readProcessInfo(process.pid)!.startTime, marker: runtime.marker, files: [runtime.rcfile] });
    expect(statSync(entry!.file).mode & 0o777).toBe(0o600);
    expect(statSync(runtime.rcfile).mode & 0o777).toBe(0o600);
    runtime.release();
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(runtime.rcfile)).toBe(false);
  });

  it('when the process dies of an uncaught error, its exit still ends every marked process and removes its files', async () => {
    const script = path.join(scratch, 'crash.mts');
    writeFileSync(
      script,
      `import { spawn } from 'node:child_process';
import { claimRuntime } from ${JSON.stringify(path.join(here, 'claim-runtime.ts'))};
const runtime = await claimRuntime(${JSON.stringify(dir)}, null);
const job = spawn('sleep', ['4701'], { env: { ...process.env, [runtime.marker]: '1-job' }, detached: true, stdio: 'ignore' });
job.unref();
console.log(JSON.stringify({ marker: runtime.marker, rcfile: runtime.rcfile, job: job.pid }));
setTimeout(() => { throw new Error('an uncaught error'); }, 500);
`,
    );
    const child = spawn(tsx, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).not.toBe(0);
    const { marker, rcfile, job } = JSON.parse(out.trim().split('\n')[0]!) as { marker: string; rcfile: string; job: number };
    try {
      expect(listMarkedProcesses({ name: marker, value: null })).toEqual([]);
      expect(readProcessInfo(job)).toBeNull();
      expect(existsSync(rcfile)).toBe(false);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      for (const p of listMarkedProcesses({ name: marker, value: null })) process.kill(p.pid, 'SIGKILL');
    }
  });
});
