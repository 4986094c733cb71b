/**
 * Values are data: a page's placeholder values never reach the shell as keystrokes. The attack is the real one:
 * a `run` frame whose value ends bracketed paste (`ESC [201~`), erases the line (ctrl+u) and types a command.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readBook, type Book } from '../book/read-book.ts';
import type { RunStatusMessage } from '../core/terminal-protocol.ts';
import { connectTerminalClient, type TerminalClient } from './connect-terminal-client.ts';
import { serveTerminal, type TerminalServer } from './serve-terminal.ts';

const fixtureBook = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'book');
let book: Book;
let work: string;
let runtimeDir: string;
let server: TerminalServer | null = null;
let client: TerminalClient | null = null;

beforeAll(async () => {
  book = await readBook({ cwd: fixtureBook });
  work = mkdtempSync(path.join(tmpdir(), 'bookrun-values-'));
  runtimeDir = mkdtempSync(path.join(tmpdir(), 'bookrun-values-runtime-'));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(runtimeDir, { recursive: true, force: true });
});
beforeEach(() => rmSync(path.join(work, 'pwned'), { force: true }));
afterEach(async () => {
  await client?.close();
  client = null;
  await server?.close();
  server = null;
});

async function connect(): Promise<{ s: TerminalServer; c: TerminalClient }> {
  server = await serveTerminal({ cwd: work, book, rcfile: null, runtimeDir });
  client = await connectTerminalClient(`ws://127.0.0.1:${server.port}/terminal`);
  client.send({ type: 'auth', token: server.token });
  await client.next((m) => m.type === 'ready');
  return { s: server, c: client };
}

const final = (c: TerminalClient, id: string) =>
  c.next<RunStatusMessage>((m) => m.type === 'run-status' && m.id === id && m.status !== 'running', 20_000);

describe('the terminal server: placeholder values are data', () => {
  it('refuses a value that would end the paste, erase the line and type a command, before anything is typed', async () => {
    const { s, c } = await connect();
    const attack = '\u001b[201~\u0015touch pwned #';
    c.send({ type: 'run', id: 'attack', chapter: 'docs/local-canary.md', step: 'L22', variant: 'gke-static', values: { VERSION: attack } });
    const status = await final(c, 'attack');
    expect(status).toMatchObject({ status: 'error', step: 'L22', placeholder: 'VERSION' });
    const message = (status as { message: string }).message;
    expect(message).toContain('VERSION');
    expect(message).toContain('ESC (U+001B) at character 1');
    expect(message).toContain('no control characters');
    // Nothing was typed: no terminal was even opened, and no "running" was ever reported.
    expect(s.terminals()).toHaveLength(0);
    expect(c.messages.some((m) => m.type === 'opened' || (m.type === 'run-status' && m.status === 'running'))).toBe(false);
    expect(existsSync(path.join(work, 'pwned'))).toBe(false);
  });

  it('refuses every control character the rule names, on any value of the frame, and names the placeholder', async () => {
    const { s, c } = await connect();
    const bad: Array<[string, RegExp]> = [
      ['1.2\u007f', /DEL \(U\+007F\)/],
      ['1.2\u009b201~', /C1 control character \(U\+009B\)/],
      ['1.2\nrm -rf ~', /newline \(U\+000A\)/],
      ['1.2\r', /carriage return \(U\+000D\)/],
      ['1.2\u0017\u0017', /ctrl\+w \(U\+0017\)/],
      ['1.2\u0003', /ctrl\+c \(U\+0003\)/],
    ];
    for (const [i, [value, name]] of bad.entries()) {
      c.send({ type: 'run', id: `bad-${i}`, chapter: 'docs/local-canary.md', step: 'L22', variant: 'gke-static', values: { VERSION: '1.0', OTHER: value } });
      const status = await final(c, `bad-${i}`);
      expect(status).toMatchObject({ status: 'error', placeholder: 'OTHER' });
      expect((status as { message: string }).message).toMatch(name);
    }
    expect(s.terminals()).toHaveLength(0);
  });

  it('still runs a value with tabs, quotes and shell syntax, as data', async () => {
    const { c } = await connect();
    c.send({ type: 'run', id: 'ok', chapter: 'docs/local-canary.md', step: 'L22', variant: 'gke-static', values: { VERSION: `1.2\t3 "$(touch pwned)" ';touch pwned;'` } });
    expect(await final(c, 'ok')).toMatchObject({ status: 'passed' });
    c.send({ type: 'run', id: 'echo', chapter: 'docs/local-canary.md', step: 'L24', variant: 'gke-static' });
    expect(await final(c, 'echo')).toMatchObject({ status: 'passed' });
    await c.waitOutput(1, /releasing version 1\.2\t3 "\$\(touch pwned\)" ';touch pwned;'/);
    expect(existsSync(path.join(work, 'pwned'))).toBe(false);
  });
});
