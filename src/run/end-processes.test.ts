import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { endProcesses, listScopeProcesses } from './end-processes.ts';
import { listMarkedProcesses, processHasEnv, readProcessInfo } from './list-processes.ts';

const markers: string[] = [];
afterEach(() => {
  for (const name of markers.splice(0)) for (const p of listMarkedProcesses({ name, value: null })) process.kill(p.pid, 'SIGKILL');
});

function marker(): string {
  const name = `BOOKRUN_TEST_END_${randomBytes(4).toString('hex')}`;
  markers.push(name);
  return name;
}

/** Starts `script` in bash, in a session of its own, with `env` added; resolves once it printed `ready`. */
async function startBash(script: string, env: Record<string, string>): Promise<number> {
  const child = spawn('bash', ['-c', `${script}\necho ready\nwait`], { env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  child.unref();
  await new Promise<void>((resolve) => child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()));
  return child.pid!;
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
}

describe('endProcesses', () => {
  it('ends every process carrying the marker, whatever session it moved to, including one ignoring HUP and TERM', async () => {
    const name = marker();
    const quiet = '>/dev/null 2>&1 </dev/null';
    await startBash(`setsid sleep 4301 ${quiet} & setsid --fork sleep 4302 ${quiet}; ( ( sleep 4303 ${quiet} & ) & ); (trap '' HUP TERM; exec sleep 4304 ${quiet}) &`, { [name]: 'a' });
    await until(() => listMarkedProcesses({ name, value: 'a' }).filter((p) => p.comm === 'sleep').length === 4);
    const found = listScopeProcesses({ marker: { name, value: 'a' } });
    expect(found.filter((p) => p.comm === 'sleep')).toHaveLength(4);
    expect(new Set(found.map((p) => p.sid)).size).toBeGreaterThan(1);
    expect(await endProcesses({ marker: { name, value: 'a' } })).toEqual([]);
    expect(listMarkedProcesses({ name, value: null })).toEqual([]);
  });

  it('ends a whole session, even a process that cleared its environment', async () => {
    const name = marker();
    const sid = await startBash('env -i sleep 4305 &', { [name]: 'b' });
    await until(() => listScopeProcesses({ sid }).some((p) => p.comm === 'sleep'));
    const cleared = listScopeProcesses({ sid }).find((p) => p.comm === 'sleep')!;
    expect(processHasEnv(cleared.pid, name, 'b')).toBe(false);
    expect(await endProcesses({ sid, marker: { name, value: 'b' } })).toEqual([]);
    expect(readProcessInfo(cleared.pid)).toBeNull();
    // Not even a zombie is left in the session.
    expect(listScopeProcesses({ sid }, { zombies: true })).toEqual([]);
  });

  it('matches one value or, with null, every value of the marker, and spares what it is told to', async () => {
    const name = marker();
    await startBash('sleep 4306 &', { [name]: 'one' });
    await startBash('sleep 4307 &', { [name]: 'two' });
    await until(() => listMarkedProcesses({ name, value: null }).filter((p) => p.comm === 'sleep').length === 2);
    expect(listScopeProcesses({ marker: { name, value: 'one' } }).every((p) => processHasEnv(p.pid, name, 'one'))).toBe(true);
    const spare = (p: { pid: number }) => processHasEnv(p.pid, name, 'two');
    await endProcesses({ marker: { name, value: null }, spare });
    expect(listMarkedProcesses({ name, value: 'one' })).toEqual([]);
    expect(listMarkedProcesses({ name, value: 'two' }).filter((p) => p.comm === 'sleep')).toHaveLength(1);
  });

  it('never lists or signals the calling process', () => {
    const name = marker();
    process.env[name] = 'self';
    try {
      // This process's /proc environ is from its start: it never carries a marker set later, and is excluded anyway.
      expect(listScopeProcesses({ sid: readProcessInfo(process.pid)!.sid }).map((p) => p.pid)).not.toContain(process.pid);
    } finally {
      delete process.env[name];
    }
  });
});
