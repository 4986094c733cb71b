/**
 * The in-browser terminal as good as a local one, server side: Run never types into a busy shell (a program the
 * reader started, or their half-typed line), and a step typed right after a prompt never shows the paste markers
 * (`^[[200~`) even when the reader's prompt is slow to come. Real bash, real ptys, a real WebSocket client.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readBook, type Book } from '../book/read-book.ts';
import type { RunStatusMessage } from '../core/terminal-protocol.ts';
import { connectTerminalClient, type TerminalClient } from './connect-terminal-client.ts';
import { readProcessInfo } from './list-session-processes.ts';
import { serveTerminal, type TerminalServer } from './serve-terminal.ts';

const fixtureBook = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'book');
let book: Book;
let work: string;
let server: TerminalServer | null = null;
const clients: TerminalClient[] = [];

beforeAll(async () => {
  book = await readBook({ cwd: fixtureBook });
  work = mkdtempSync(path.join(tmpdir(), 'bookrun-typing-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await server?.close();
  server = null;
});

async function start(rcfile: string | null = null): Promise<TerminalClient> {
  server = await serveTerminal({ cwd: work, book, rcfile, env: { ...process.env, PS1: '$ ' }, runtimeDir: path.join(work, '.runtime') });
  const client = await connectTerminalClient(`ws://127.0.0.1:${server.port}/terminal`);
  clients.push(client);
  client.send({ type: 'auth', token: server.token });
  await client.next((m) => m.type === 'ready');
  return client;
}

function verdict(client: TerminalClient, id: string): Promise<RunStatusMessage> {
  return client.next<RunStatusMessage>((m) => m.type === 'run-status' && m.id === id && m.status !== 'running', 30_000);
}

async function foreground(comm: string): Promise<void> {
  const pid = server!.terminals()[0]!.shell.pid;
  for (let i = 0; i < 500; i++) {
    const tpgid = readProcessInfo(pid)?.tpgid;
    if (tpgid && tpgid !== pid && readProcessInfo(tpgid)?.comm === comm) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${comm} never held the terminal`);
}

const run = (client: TerminalClient, id: string) => client.send({ type: 'run', id, chapter: 'docs/local-canary.md', step: 'L10', variant: 'gke-static' });

describe('Run and a busy shell', () => {
  it('refuses, typing nothing, while a program the reader started holds the terminal; runs once it is stopped', async () => {
    const client = await start();
    client.send({ type: 'open', terminal: 1 });
    await client.waitOutput(1, /[$#] $/);
    client.send({ type: 'input', terminal: 1, data: 'sleep 600\r' });
    await foreground('sleep');
    run(client, 'busy');
    const refused = await verdict(client, 'busy');
    expect(refused).toMatchObject({ status: 'error', busy: true, terminal: 1, message: expect.stringContaining('`sleep` is running in it') });
    expect(client.output.get(1)).not.toContain('release notes');
    client.send({ type: 'signal', terminal: 1, signal: 'SIGINT' });
    for (let i = 0; i < 50 && server!.terminals()[0]!.busy(); i++) await new Promise((r) => setTimeout(r, 50));
    run(client, 'free');
    expect(await verdict(client, 'free')).toMatchObject({ status: 'passed' });
  });

  it('refuses while the reader\'s half-typed line sits at the prompt, and runs once ctrl+c cleared it', async () => {
    const client = await start();
    client.send({ type: 'open', terminal: 1 });
    await client.waitOutput(1, /[$#] $/);
    client.send({ type: 'input', terminal: 1, data: 'echo half-typ' });
    await client.waitOutput(1, /half-typ/);
    run(client, 'typed');
    expect(await verdict(client, 'typed')).toMatchObject({ status: 'error', busy: true, message: expect.stringContaining('you typed at its prompt') });
    client.send({ type: 'signal', terminal: 1, signal: 'SIGINT' });
    for (let i = 0; i < 50 && server!.terminals()[0]!.busy(); i++) await new Promise((r) => setTimeout(r, 50));
    run(client, 'cleared');
    expect(await verdict(client, 'cleared')).toMatchObject({ status: 'passed' });
    // The half-typed text was discarded, never run together with the step.
    expect(client.output.get(1)).not.toMatch(/half-typecho/);
  });
});

describe('typing a step', () => {
  it('never echoes the paste markers, even right after a prompt that is slow to come (a PROMPT_COMMAND that takes its time in the shell)', async () => {
    const rc = path.join(work, 'slow-prompt-rc');
    // Slow in the shell itself (a git prompt does this): nothing else holds the terminal meanwhile.
    writeFileSync(rc, 'PROMPT_COMMAND=\'for ((i = 0; i < 200000; i++)); do :; done\'\nPS1="$ "\n');
    const client = await start(rc);
    run(client, 'first');
    const first = await verdict(client, 'first');
    expect(first, JSON.stringify(first) + JSON.stringify(client.output.get(1))).toMatchObject({ status: 'passed' });
    // A multi-line command: each line is typed when bash asks for more.
    client.send({ type: 'run', id: 'second', chapter: 'docs/local-canary.md', step: 'L10', variant: 'gke-static' });
    expect(await verdict(client, 'second')).toMatchObject({ status: 'passed' });
    const output = client.output.get(1) ?? '';
    expect(output).toContain('release notes');
    expect(output).not.toContain('^[[200~');
    expect(output).not.toContain('^[[201~');
  });

  it('starts the shell at the size the page asks for', async () => {
    const client = await start();
    client.send({ type: 'open', terminal: 1, cols: 137, rows: 19 });
    client.send({ type: 'input', terminal: 1, data: 'echo "size=$(tput cols)x$(tput lines)"\r' });
    await client.waitOutput(1, /size=137x19/);
  });
});
