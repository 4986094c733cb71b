import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawnShellSession } from '../run/shell-session.ts';
import { listSessionProcesses } from './list-session-processes.ts';
import { PageConnectionRecorder } from './page-connection-recorder.ts';
import { SessionRegistry, type SessionRegistryOptions } from './session-registry.ts';
import { Terminal } from './terminal.ts';

let work: string;
let registry: SessionRegistry | null = null;

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'bookrun-registry-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));
afterEach(async () => {
  await registry?.endAll();
  registry = null;
});

function newRegistry(extra: Partial<SessionRegistryOptions> = {}): SessionRegistry {
  registry = new SessionRegistry({
    graceMs: 30_000,
    maxTerminals: 4,
    spawn: (n, cols, rows) => new Terminal(n, spawnShellSession({ cwd: work, cols, rows, interactiveEcho: true, env: { ...process.env, PS1: '$ ' } })),
    ...extra,
  });
  return registry;
}

describe('SessionRegistry', () => {
  it('starts a page\'s terminal, answers opened, and streams its output to the page', async () => {
    const r = newRegistry();
    const page = new PageConnectionRecorder();
    const session = r.pick(undefined);
    r.claim(session, page);
    const t = r.open(session, 1, { cols: 90, rows: 20 });
    expect(t).toBeInstanceOf(Terminal);
    expect(page.messages[0]).toEqual({ type: 'opened', terminal: 1, attached: false });
    (t as Terminal).shell.write('echo "cols=$(tput cols)"\r');
    await page.waitOutput(1, /cols=90/);
    // Opening it again re-announces it, attached.
    r.open(session, 1);
    expect(page.messages.filter((m) => m.type === 'opened').at(-1)).toEqual({ type: 'opened', terminal: 1, attached: true });
    expect(r.running(session)).toEqual([1]);
  });

  it('hands a session to the newest page (the older one closed with 4000), which gets the scrollback', async () => {
    const r = newRegistry();
    const first = new PageConnectionRecorder();
    const session = r.pick(undefined);
    r.claim(session, first);
    const t = r.open(session, 1) as Terminal;
    t.shell.write('echo before-$((2*21))\r');
    await first.waitOutput(1, /before-42/);
    const second = new PageConnectionRecorder();
    r.claim(r.pick(session.id), second);
    expect(first.closed).toEqual({ code: 4000, reason: 'this session was opened in another page' });
    r.open(session, 1);
    expect(second.messages[0]).toEqual({ type: 'opened', terminal: 1, attached: true });
    await second.waitOutput(1, /before-42/);
  });

  it('gives a page without its session id the most recently detached session, else a new one', () => {
    const r = newRegistry();
    const a = r.pick(undefined);
    const page = new PageConnectionRecorder();
    r.claim(a, page);
    r.open(a, 1);
    r.detach(a, page);
    expect(r.pick(undefined)).toBe(a);
    expect(r.pick('no-such-session')).not.toBe(a);
  });

  it('caps terminals across all sessions', () => {
    const r = newRegistry({ maxTerminals: 1 });
    const a = r.pick(undefined);
    r.claim(a, new PageConnectionRecorder());
    r.open(a, 1);
    const b = r.pick('another');
    r.claim(b, new PageConnectionRecorder());
    expect(r.open(b, 1)).toBe('too many terminals (1 open on this server, at most 1): close one first');
  });

  it('ends a session\'s shells, whole sessions, once its page has been gone for the grace period', async () => {
    const r = newRegistry({ graceMs: 50 });
    const page = new PageConnectionRecorder();
    const session = r.pick(undefined);
    r.claim(session, page);
    const t = r.open(session, 1) as Terminal;
    t.shell.write('sleep 4501 & echo bg-started\r');
    await page.waitOutput(1, /bg-started/);
    const sid = t.shell.pid;
    r.detach(session, page);
    for (let i = 0; i < 300 && (listSessionProcesses(sid).length > 0 || r.terminals().length > 0); i++) await new Promise((res) => setTimeout(res, 20));
    expect(listSessionProcesses(sid)).toEqual([]);
    expect(r.terminals()).toEqual([]);
  });

  it('closes a terminal and reports its exit once nothing of it is left', async () => {
    const r = newRegistry();
    const page = new PageConnectionRecorder();
    const session = r.pick(undefined);
    r.claim(session, page);
    const t = r.open(session, 2) as Terminal;
    t.shell.write('sleep 4502 & echo bg-started\r');
    await page.waitOutput(2, /bg-started/);
    r.close(session, 2);
    await page.next((m) => m.type === 'exit' && m.terminal === 2);
    expect(listSessionProcesses(t.shell.pid)).toEqual([]);
    expect(r.running(session)).toEqual([]);
  });
});
