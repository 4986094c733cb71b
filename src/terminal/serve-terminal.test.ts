import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readBook, type Book } from '../book/read-book.ts';
import type { OutputFormat, RunStatusMessage, ServerMessage } from '../core/terminal-protocol.ts';
import { connectTerminalClient, type TerminalClient } from './connect-terminal-client.ts';
import { listSessionProcesses, readProcessInfo } from './list-session-processes.ts';
import { serveTerminal, type ServeTerminalOptions, type TerminalServer } from './serve-terminal.ts';

const fixtureBook = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'book');
let book: Book;
let work: string;
let server: TerminalServer | null = null;
const clients: TerminalClient[] = [];

beforeAll(async () => {
  book = await readBook({ cwd: fixtureBook });
  work = mkdtempSync(path.join(tmpdir(), 'bookrun-terminal-'));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await server?.close();
  server = null;
});

async function start(extra: Partial<ServeTerminalOptions> = {}): Promise<TerminalServer> {
  server = await serveTerminal({ cwd: work, book, rcfile: null, runtimeDir: path.join(work, '.runtime'), ...extra });
  return server;
}

async function connect(
  s: TerminalServer,
  options: { ack?: boolean; session?: string; output?: OutputFormat; onMessage?: (m: ServerMessage) => void } = {},
): Promise<TerminalClient> {
  const client = await connectTerminalClient(`ws://127.0.0.1:${s.port}/terminal`, { ack: options.ack, onMessage: options.onMessage });
  clients.push(client);
  client.send({ type: 'auth', token: s.token, ...(options.session ? { session: options.session } : {}), ...(options.output ? { output: options.output } : {}) });
  await client.next((m) => m.type === 'ready');
  return client;
}

/**
 * Resolves once `comm` holds the terminal's foreground (exec'd, not a forked shell about to exec, which
 * would lose a signal), so a signal reaches it.
 */
async function jobInForeground(s: TerminalServer, comm: string): Promise<void> {
  const pid = s.terminals()[0].shell.pid;
  for (let i = 0; i < 500; i++) {
    const tpgid = readProcessInfo(pid)?.tpgid;
    if (tpgid && tpgid > 0 && tpgid !== pid && readProcessInfo(tpgid)?.comm === comm) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('no job reached the foreground');
}

const ready = (c: TerminalClient) => c.messages.find((m) => m.type === 'ready') as Extract<ServerMessage, { type: 'ready' }>;

function finalStatus(client: TerminalClient, id: string): Promise<RunStatusMessage> {
  return client.next<RunStatusMessage>((m) => m.type === 'run-status' && m.id === id && m.status !== 'running', 20_000);
}

describe('serveTerminal: a reader terminal over a WebSocket', () => {
  it('opens a shell in --cwd, types keystrokes into it and streams its output', async () => {
    const s = await start();
    const client = await connect(s);
    expect(ready(client)).toMatchObject({ terminals: [], server: { cwd: work, version: 1 } });
    client.send({ type: 'open', terminal: 1, cols: 100, rows: 30 });
    expect(await client.next((m) => m.type === 'opened')).toEqual({ type: 'opened', terminal: 1, attached: false });
    client.send({ type: 'input', terminal: 1, data: 'echo "cols=$(tput cols) dir=$PWD"\r' });
    await client.waitOutput(1, new RegExp(`cols=100 dir=${work}`));
    client.send({ type: 'resize', terminal: 1, cols: 120, rows: 40 });
    client.send({ type: 'input', terminal: 1, data: 'echo "now=$(tput cols)"\r' });
    await client.waitOutput(1, /now=120/);
    client.send({ type: 'status' });
    expect(await client.next((m) => m.type === 'status')).toEqual({ type: 'status', terminals: [{ terminal: 1, running: null, request: null, last: null }] });
  });

  it('answers a malformed frame with an error and keeps the connection', async () => {
    const s = await start();
    const client = await connect(s);
    client.socket.send('not json');
    await client.next((m) => m.type === 'error' && m.message.includes('not JSON'));
    client.send({ type: 'input', terminal: 2, data: 'ls\r' });
    await client.next((m) => m.type === 'error' && m.message.includes('terminal 2 is not open'));
    client.send({ type: 'status' });
    await client.next((m) => m.type === 'status');
  });

  it('keeps the shell across a page reload and replays its scrollback', async () => {
    const s = await start();
    const first = await connect(s);
    const session = ready(first).session;
    first.send({ type: 'open', terminal: 1 });
    first.send({ type: 'input', terminal: 1, data: 'MARK=kept-across-reload; echo "pid=$$"\r' });
    const text = await first.waitOutput(1, /pid=\d+/);
    const pid = text.match(/pid=(\d+)/)![1];
    await first.close();

    const second = await connect(s, { session });
    expect(ready(second)).toMatchObject({ session, terminals: [1] });
    second.send({ type: 'open', terminal: 1 });
    expect(await second.next((m) => m.type === 'opened')).toEqual({ type: 'opened', terminal: 1, attached: true });
    await second.waitOutput(1, new RegExp(`pid=${pid}`)); // the replay
    second.send({ type: 'input', terminal: 1, data: 'echo "again=$$ $MARK"\r' });
    await second.waitOutput(1, new RegExp(`again=${pid} kept-across-reload`));
    await second.close();

    // A page that forgot its session id still gets the most recently detached one back.
    const third = await connect(s);
    expect(ready(third).terminals).toEqual([1]);
  });

  it('sends signals to the foreground job, never to the shell', async () => {
    const s = await start();
    const client = await connect(s);
    client.send({ type: 'open', terminal: 1 });
    await client.next((m) => m.type === 'opened');
    client.send({ type: 'input', terminal: 1, data: 'sleep 1008; echo "status=$?"\r' });
    await jobInForeground(s, 'sleep');
    client.send({ type: 'signal', terminal: 1, signal: 'SIGTERM' });
    await client.waitOutput(1, /status=143/);
    client.send({ type: 'input', terminal: 1, data: 'sleep 1009\r' });
    await jobInForeground(s, 'sleep');
    client.send({ type: 'signal', terminal: 1, signal: 'SIGINT' });
    client.send({ type: 'input', terminal: 1, data: 'echo "after=$?"\r' });
    await client.waitOutput(1, /after=130/);
    // Nothing in the foreground: the shell itself is spared.
    client.send({ type: 'signal', terminal: 1, signal: 'SIGKILL' });
    client.send({ type: 'input', terminal: 1, data: 'echo alive-$((3*3))\r' });
    await client.waitOutput(1, /alive-9/);
    expect(client.messages.some((m) => m.type === 'exit')).toBe(false);
  });

  it('reports a shell the reader exited, and opens a new one on the next open', async () => {
    const s = await start();
    const client = await connect(s);
    client.send({ type: 'open', terminal: 1 });
    await client.next((m) => m.type === 'opened');
    client.send({ type: 'input', terminal: 1, data: 'exit 3\r' });
    expect(await client.next((m) => m.type === 'exit')).toEqual({ type: 'exit', terminal: 1, exitCode: 3, signal: null });
    client.messages.length = 0;
    client.send({ type: 'open', terminal: 1 });
    expect(await client.next((m) => m.type === 'opened')).toEqual({ type: 'opened', terminal: 1, attached: false });
    client.send({ type: 'input', terminal: 1, data: 'echo fresh-$((2+2))\r' });
    await client.waitOutput(1, /fresh-4/);
  });

  it('hands a session to the newest page and closes the older one with 4000', async () => {
    const s = await start();
    const first = await connect(s);
    first.send({ type: 'open', terminal: 1 });
    await first.next((m) => m.type === 'opened');
    const second = await connect(s, { session: ready(first).session });
    expect(await first.closed).toEqual({ code: 4000, reason: 'this session was opened in another page' });
    expect(ready(second).terminals).toEqual([1]);
    second.send({ type: 'open', terminal: 1 });
    expect(await second.next((m) => m.type === 'opened')).toMatchObject({ attached: true });
    expect(s.terminals()).toHaveLength(1);
  });

  it('refuses pages over the cap with 1013, but never a reload of a page it has', async () => {
    const s = await start({ maxConnections: 1 });
    const first = await connect(s);
    const extra = await connectTerminalClient(`ws://127.0.0.1:${s.port}/terminal`);
    clients.push(extra);
    extra.send({ type: 'auth', token: s.token });
    expect(await extra.closed).toEqual({ code: 1013, reason: 'too many pages connected (at most 1): close one' });
    // The same page reloading (its session id) takes its session over instead.
    const reload = await connect(s, { session: ready(first).session });
    expect((await first.closed).code).toBe(4000);
    expect(ready(reload).session).toBe(ready(first).session);
  });

  it('ends a page\'s shells, whole session, once the reload grace period passes', async () => {
    const s = await start({ reattachGraceMs: 100 });
    const client = await connect(s);
    client.send({ type: 'open', terminal: 1 });
    await client.next((m) => m.type === 'opened');
    const sid = s.terminals()[0].shell.pid;
    client.send({ type: 'input', terminal: 1, data: 'sleep 1005 & nohup sleep 1006 >/dev/null 2>&1 & echo bg-$((1+1))-started\r' });
    await client.waitOutput(1, /bg-2-started/);
    expect(listSessionProcesses(sid).length).toBeGreaterThanOrEqual(3);
    await client.close();
    for (let i = 0; i < 100 && listSessionProcesses(sid).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(listSessionProcesses(sid)).toEqual([]);
    expect(s.terminals()).toEqual([]);
  });

  for (const output of ['json', 'binary'] as const) it(`keeps memory bounded under \`yes\` when the page does not acknowledge output (${output} frames)`, async () => {
    const high = 64 * 1024;
    const s = await start({ flowLimits: { highWatermark: high, lowWatermark: high / 4 } });
    const client = await connect(s, { ack: false, output });
    client.send({ type: 'open', terminal: 1 });
    await client.next((m) => m.type === 'opened');
    client.send({ type: 'input', terminal: 1, data: 'yes bookrun-flow-control\r' });
    const terminal = s.terminals()[0];
    for (let i = 0; i < 200 && !terminal.isPaused; i++) await new Promise((r) => setTimeout(r, 10));
    expect(terminal.isPaused).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    const received = client.output.get(1)?.length ?? 0;
    const buffered = client.socket.bufferedAmount;
    await new Promise((r) => setTimeout(r, 300));
    // Paused: nothing more arrives, and what was sent is bounded by the watermark plus one frame (64 KiB) and the
    // one pty read (at most 4 KiB) that may land as the pty pauses.
    expect(client.output.get(1)?.length ?? 0).toBe(received);
    expect(terminal.unacknowledged).toBeLessThanOrEqual(high + 64 * 1024 + 4096);
    expect(received).toBeLessThanOrEqual(high + 64 * 1024 + 4096);
    expect(buffered).toBe(0);
    // Acknowledging resumes the stream.
    client.send({ type: 'ack', terminal: 1, bytes: received });
    await client.waitOutput(1, /[^]/, 5000);
    for (let i = 0; i < 200 && (client.output.get(1)?.length ?? 0) <= received; i++) await new Promise((r) => setTimeout(r, 10));
    expect(client.output.get(1)!.length).toBeGreaterThan(received);
    client.send({ type: 'signal', terminal: 1, signal: 'SIGINT' });
  });

  for (const output of ['json', 'binary'] as const) it(`never splits a multi-byte character across output frames (${output} frames)`, async () => {
    const s = await start();
    const count = 200_000;
    const file = path.join(work, `multibyte-${output}.txt`);
    writeFileSync(file, 'é€😀'.repeat(count));
    const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    let frames = 0;
    let badFrames = 0;
    const client = await connect(s, {
      output,
      onMessage: (m) => {
        if (m.type !== 'output') return;
        frames += 1;
        if (loneSurrogate.test(m.data) || m.data.includes('\uFFFD')) badFrames += 1;
      },
    });
    client.send({ type: 'open', terminal: 1 });
    client.send({ type: 'input', terminal: 1, data: `cat ${file}; echo; echo cat-$((6*7))-done\r` });
    const text = await client.waitOutput(1, /cat-42-done\r?\n/, 30_000);
    expect(text).not.toContain('\uFFFD');
    expect(text.match(/😀/g)?.length).toBe(count);
    expect(text.match(/€/g)?.length).toBe(count);
    // Every frame on its own is valid text too: no lone surrogate halves at frame edges.
    expect(frames).toBeGreaterThan(1);
    expect(badFrames).toBe(0);
  });

  it('sends output as binary frames (the terminal in the first byte, then UTF-8) to a page that asks, JSON to one that does not, every other message as JSON', async () => {
    const s = await start();
    const frames: Array<{ binary: boolean; raw: Buffer }> = [];
    const binary = await connect(s, { output: 'binary' });
    binary.socket.on('message', (raw: Buffer, isBinary: boolean) => frames.push({ binary: isBinary, raw: Buffer.from(raw) }));
    expect(ready(binary).output).toBe('binary');
    const json = await connect(s);
    expect(ready(json).output).toBe('json');
    binary.send({ type: 'open', terminal: 2 });
    json.send({ type: 'open', terminal: 1 });
    await binary.next((m) => m.type === 'opened');
    binary.send({ type: 'input', terminal: 2, data: 'printf "%s\\n" "sp-$((6*7)) é€😀"\r' });
    json.send({ type: 'input', terminal: 1, data: 'printf "%s\\n" "js-$((6*7)) é€😀"\r' });
    expect(await binary.waitOutput(2, /sp-42 é€😀\r\n/)).toContain('sp-42 é€😀');
    expect(await json.waitOutput(1, /js-42 é€😀\r\n/)).toContain('js-42 é€😀');
    binary.send({ type: 'status' });
    await binary.next((m) => m.type === 'status');
    const outputs = frames.filter((f) => f.binary);
    expect(outputs.length).toBeGreaterThan(0);
    expect(outputs.every((f) => f.raw[0] === 2)).toBe(true);
    expect(Buffer.concat(outputs.map((f) => f.raw.subarray(1))).toString('utf8')).toContain('sp-42 é€😀');
    // `opened` and `status` stay JSON text frames.
    const texts = frames.filter((f) => !f.binary).map((f) => JSON.parse(f.raw.toString()) as ServerMessage);
    expect(texts.map((m) => m.type)).toEqual(expect.arrayContaining(['opened', 'status']));
    expect(texts.some((m) => m.type === 'output')).toBe(false);
    // An output format the protocol does not know is a malformed auth.
    const odd = await connectTerminalClient(`ws://127.0.0.1:${s.port}/terminal`);
    clients.push(odd);
    odd.send({ type: 'auth', token: s.token, output: 'xml' });
    expect((await odd.closed).code).toBe(1008);
  });
});

describe('serveTerminal: running a step by id', () => {
  it('plans the chapter itself, runs the step in terminal 1 and reports passed with the output check', async () => {
    const s = await start();
    const client = await connect(s);
    client.send({ type: 'open', terminal: 1 });
    client.send({ type: 'run', id: 'r1', chapter: 'docs/local-canary.md', step: 'L10', variant: 'gke-static' });
    expect(await client.next((m) => m.type === 'run-status' && m.id === 'r1')).toEqual({
      type: 'run-status', id: 'r1', step: 'L10', terminal: 1, status: 'running',
    });
    expect(await finalStatus(client, 'r1')).toMatchObject({ status: 'passed', exitCode: 0, expect: null, step: 'L10', terminal: 1 });
    client.send({ type: 'run', id: 'r2', chapter: 'docs/local-canary.md', step: 'L12', variant: 'gke-static' });
    expect(await finalStatus(client, 'r2')).toMatchObject({ status: 'passed', exitCode: 0, expect: { matched: true, diff: '' } });
    await client.waitOutput(1, /release notes/);
    expect(readFileSync(path.join(work, 'notes.txt'), 'utf8')).toBe('release notes\n');
  });

  it('checks the output of a command typed over several lines, without its echo', async () => {
    const s = await start();
    const client = await connect(s);
    writeFileSync(path.join(work, 'notes.txt'), 'release notes\n');
    client.send({ type: 'run', id: 'm', chapter: 'docs/local-canary.md', step: 'L78', variant: 'gke-static' });
    expect(await finalStatus(client, 'm')).toMatchObject({ status: 'passed', exitCode: 0, expect: { matched: true, diff: '' } });
    await client.waitOutput(1, /RELEASE NOTES!/);
  });

  it('marks a failing expected output as failed, with its diff', async () => {
    const s = await start();
    const client = await connect(s);
    client.send({ type: 'run', id: 'f', chapter: 'docs/local-canary.md', step: 'L66', variant: 'gke-static' });
    const status = await finalStatus(client, 'f');
    expect(status).toMatchObject({ status: 'failed', exitCode: 0, expect: { matched: false } });
    const diff = (status as { expect: { diff: string } }).expect.diff;
    expect(diff).toContain('-expected output');
    expect(diff).toContain('+actual output');
    expect(diff).not.toContain('echo'); // the typed command's echo is not output
  });

  it('fills placeholders from the page as data, never as code', async () => {
    const s = await start();
    const client = await connect(s);
    const sneaky = `1.2.3'; touch pwned; echo '`;
    client.send({ type: 'run', id: 'p1', chapter: 'docs/local-canary.md', step: 'L22', variant: 'gke-static', values: { VERSION: sneaky } });
    expect(await finalStatus(client, 'p1')).toMatchObject({ status: 'passed' });
    client.send({ type: 'run', id: 'p2', chapter: 'docs/local-canary.md', step: 'L24', variant: 'gke-static' });
    expect(await finalStatus(client, 'p2')).toMatchObject({ status: 'passed' });
    await client.waitOutput(1, /releasing version 1\.2\.3'; touch pwned; echo '/);
    expect(existsSync(path.join(work, 'pwned'))).toBe(false);
  });

  it('refuses unknown chapters, unknown steps, excluded steps, missing placeholders and unknown variants', async () => {
    const s = await start();
    const client = await connect(s);
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ chapter: '../../etc/passwd', step: 'L1', variant: 'gke-static' }, /unknown chapter/],
      [{ chapter: 'docs/local-canary.md', step: 'L9999', variant: 'gke-static' }, /no step L9999/],
      [{ chapter: 'docs/local-canary.md', step: 'L31', variant: 'gke-static' }, /L31 does not apply to variant gke-static \(only for eks\)/],
      [{ chapter: 'docs/local-canary.md', step: 'L22', variant: 'gke-static' }, /needs a value for VERSION/],
      [{ chapter: 'docs/local-canary.md', step: 'L22', variant: 'gke-static', values: { VERSION: '  ' } }, /needs a value for VERSION/],
      [{ chapter: 'docs/local-canary.md', step: 'L10', variant: 'azure-static' }, /unknown variant "azure-static"/],
    ];
    for (const [i, [request, message]] of cases.entries()) {
      client.send({ type: 'run', id: `bad-${i}`, ...request });
      const status = await finalStatus(client, `bad-${i}`);
      expect(status.status).toBe('error');
      expect((status as { message: string }).message).toMatch(message);
    }
    // The excluded step is fine for the variant it is written for.
    client.send({ type: 'run', id: 'eks', chapter: 'docs/local-canary.md', step: 'L31', variant: 'eks-static' });
    expect(await finalStatus(client, 'eks')).toMatchObject({ status: 'passed' });
    expect(s.terminals()).toHaveLength(1);
  });

  it('runs a second-terminal step in terminal 2', async () => {
    const s = await start();
    const client = await connect(s);
    client.send({ type: 'run', id: 't2', chapter: 'docs/local-canary.md', step: 'L60', variant: 'gke-static' });
    expect(await client.next((m) => m.type === 'opened' && m.terminal === 2)).toMatchObject({ attached: false });
    expect(await finalStatus(client, 't2')).toMatchObject({ status: 'passed', terminal: 2 });
    await client.waitOutput(2, /second terminal here/);
    expect(client.output.get(1)).toBeUndefined();
  });

  it('stops a watch once its until pattern matches, and reports passed', async () => {
    const s = await start();
    const client = await connect(s);
    client.send({ type: 'run', id: 'w1', chapter: 'docs/local-canary.md', step: 'L43', variant: 'gke-static' });
    expect(await finalStatus(client, 'w1')).toMatchObject({ status: 'passed', step: 'L43', exitCode: 130 });
    // It ran until the rollout said so, not until the echo of the typed command matched.
    expect(client.output.get(1)).toMatch(/progress 3\r\nrollout complete\r\n/);
  });

  it('stops a watch on a signal from the page, reports it passed as the judge does (a watch the book says to stop with ctrl+c), and the terminal is usable again', async () => {
    const s = await start();
    const client = await connect(s);
    writeFileSync(path.join(work, 'notes.txt'), 'tailing\n');
    client.send({ type: 'run', id: 'w2', chapter: 'docs/local-canary.md', step: 'L49', variant: 'gke-static' });
    await client.next((m) => m.type === 'run-status' && m.id === 'w2' && m.status === 'running');
    await client.waitOutput(1, /tailing/);
    client.send({ type: 'status' });
    expect(await client.next((m) => m.type === 'status')).toMatchObject({ type: 'status', terminals: [{ terminal: 1, running: 'L49', request: expect.any(String), last: null }] });
    client.send({ type: 'run', id: 'busy', chapter: 'docs/local-canary.md', step: 'L10', variant: 'gke-static' });
    expect(await finalStatus(client, 'busy')).toMatchObject({ status: 'error', busy: true, terminal: 1, message: expect.stringContaining('still running L49') });
    client.send({ type: 'signal', terminal: 1, signal: 'SIGINT' });
    expect(await finalStatus(client, 'w2')).toMatchObject({ status: 'passed', ended: 'interrupted', exitCode: 130, attempts: 1 });
    client.send({ type: 'input', terminal: 1, data: 'echo usable-$((1+1))\r' });
    await client.waitOutput(1, /usable-2/);
  });

  it('keeps a running step across a page reload and reports its end to the new page', async () => {
    const s = await start();
    const first = await connect(s);
    const session = ready(first).session;
    writeFileSync(path.join(work, 'notes.txt'), 'still tailing\n');
    first.send({ type: 'run', id: 'long', chapter: 'docs/local-canary.md', step: 'L49', variant: 'gke-static' });
    await first.next((m) => m.type === 'run-status' && m.status === 'running');
    await first.close();
    const second = await connect(s, { session });
    second.send({ type: 'open', terminal: 1 });
    await second.waitOutput(1, /still tailing/);
    second.send({ type: 'status' });
    expect(await second.next((m) => m.type === 'status')).toMatchObject({ type: 'status', terminals: [{ terminal: 1, running: 'L49', request: expect.any(String), last: null }] });
    second.send({ type: 'signal', terminal: 1, signal: 'SIGINT' });
    expect(await finalStatus(second, 'long')).toMatchObject({ status: 'passed', ended: 'interrupted', step: 'L49' });
  });
});
