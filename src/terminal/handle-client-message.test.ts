import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readBook, type Book } from '../book/read-book.ts';
import { spawnShellSession } from '../run/shell-session.ts';
import { handleClientMessage, type MessageContext } from './handle-client-message.ts';
import { PageConnectionRecorder } from './page-connection-recorder.ts';
import { SessionRegistry } from './session-registry.ts';
import { bookStepSource } from './book-step-source.ts';
import { Terminal } from './terminal.ts';

const fixtureBook = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'book');
let book: Book;
let work: string;
let registry: SessionRegistry | null = null;

beforeAll(async () => {
  book = await readBook({ cwd: fixtureBook });
  work = mkdtempSync(path.join(tmpdir(), 'bookrun-handle-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));
afterEach(async () => {
  await registry?.endAll();
  registry = null;
});

function page(): { context: MessageContext; page: PageConnectionRecorder } {
  registry = new SessionRegistry({
    graceMs: 30_000,
    maxTerminals: 4,
    spawn: (n, cols, rows) => new Terminal(n, spawnShellSession({ cwd: work, cols, rows, interactiveEcho: true })),
  });
  const recorder = new PageConnectionRecorder();
  const session = registry.pick(undefined);
  registry.claim(session, recorder);
  return { context: { registry, session, connection: recorder, steps: bookStepSource(book) }, page: recorder };
}

describe('handleClientMessage', () => {
  it('refuses keystrokes, resizes and signals for a terminal this page has not opened', () => {
    const { context, page: p } = page();
    handleClientMessage(context, { type: 'input', terminal: 2, data: 'ls\r' });
    handleClientMessage(context, { type: 'auth', token: 'again' });
    expect(p.messages).toEqual([
      { type: 'error', message: 'terminal 2 is not open: send {"type":"open","terminal":2} first' },
      { type: 'error', message: 'already authenticated' },
    ]);
  });

  it('closes the connection (1008) on an ack beyond what it was sent', async () => {
    const { context, page: p } = page();
    handleClientMessage(context, { type: 'open', terminal: 1 });
    handleClientMessage(context, { type: 'input', terminal: 1, data: 'echo hi-$((1+1))\r' });
    const text = await p.waitOutput(1, /hi-2/);
    handleClientMessage(context, { type: 'ack', terminal: 1, bytes: text.length });
    expect(p.closed).toBeNull();
    handleClientMessage(context, { type: 'ack', terminal: 1, bytes: 1 << 20 });
    expect(p.closed).toEqual({ code: 1008, reason: 'terminal 1: acknowledged more output than was sent' });
  });

  it('refuses a run whose value holds a control character before anything else, naming the placeholder', async () => {
    const { context, page: p } = page();
    handleClientMessage(context, { type: 'run', id: 'r', chapter: 'docs/local-canary.md', step: 'L22', variant: 'gke-static', values: { VERSION: '1.0\u0015rm -rf ~' } });
    const status = await p.next((m) => m.type === 'run-status');
    expect(status).toEqual({
      type: 'run-status',
      id: 'r',
      step: 'L22',
      status: 'error',
      placeholder: 'VERSION',
      message: 'docs/local-canary.md: step L22 was not run: the value of VERSION holds ctrl+u (U+0015) at character 4: a value may hold any printable character and tabs, but no control characters, newlines or DEL (they would act as keys in the terminal)',
    });
    expect(registry!.terminals()).toEqual([]);
  });

  it('runs a step with good values and reports its status', async () => {
    const { context, page: p } = page();
    handleClientMessage(context, { type: 'run', id: 'ok', chapter: 'docs/local-canary.md', step: 'L22', variant: 'gke-static', values: { VERSION: '1.0' } });
    expect(await p.next((m) => m.type === 'run-status' && m.status !== 'running')).toMatchObject({ id: 'ok', status: 'passed', terminal: 1 });
    handleClientMessage(context, { type: 'status' });
    // The verdict stays with the terminal, for a page that reloaded while the step ended.
    expect(await p.next((m) => m.type === 'status')).toMatchObject({ type: 'status', terminals: [{ terminal: 1, running: null, request: null, last: { id: 'ok', status: 'passed' } }] });
  });
});
