/**
 * The terminal server's two numbers, each against a baseline measured in this process:
 *
 * - throughput: `head -c N /dev/zero | base64` from a pty through the server to a `ws` client that acks
 *   every frame (as xterm.js does), vs the same command read straight from node-pty. Goal ≥ 100 MB/s;
 *   also the peak RSS growth of this process (server + client) while it streams.
 * - keystroke echo round trip (input frame → echoed output frame) p50/p99, vs writing the key to a raw
 *   node-pty bash and waiting for its echo. Goal ≤ 2 ms / ≤ 10 ms.
 *
 * BENCH_TERMINAL_MB (default 64) sets how many MiB of zeros go through base64 (output is 4/3 of that);
 * raw and server runs alternate, ROUNDS times each, and the best of each counts (the machine is shared).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pty from 'node-pty';
import { connectTerminalClient } from '../../src/terminal/connect-terminal-client.ts';
import { serveTerminal } from '../../src/terminal/serve-terminal.ts';

const MB = 1024 * 1024;
const size = Number(process.env.BENCH_TERMINAL_MB ?? 64) * MB;
const keystrokes = 500;
const ROUNDS = 2;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function rawThroughput(): Promise<{ mbps: number; chars: number }> {
  const p = pty.spawn('bash', ['--norc', '--noprofile', '-c', `head -c ${size} /dev/zero | base64`], { cols: 200, rows: 50, cwd: tmpdir() });
  let chars = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    p.onData((d) => (chars += d.length));
    p.onExit(() => resolve());
  });
  const seconds = (performance.now() - start) / 1000;
  return { mbps: chars / MB / seconds, chars };
}

async function rawEcho(): Promise<number[]> {
  const p = pty.spawn('bash', ['--norc', '--noprofile', '-i'], { cols: 200, rows: 50, cwd: tmpdir(), env: { ...process.env, PS1: '$ ' } as Record<string, string> });
  let waiting: (() => void) | null = null;
  p.onData(() => waiting?.());
  await new Promise((r) => setTimeout(r, 300));
  const times: number[] = [];
  for (let i = 0; i < keystrokes; i++) {
    const key = i % 50 === 49 ? '\x15' : 'a'; // ctrl+u now and then keeps the line short
    const t = performance.now();
    await new Promise<void>((resolve) => {
      waiting = resolve;
      p.write(key);
    });
    waiting = null;
    if (key === 'a') times.push(performance.now() - t);
    await new Promise((r) => setImmediate(r));
  }
  p.kill('SIGKILL');
  return times.sort((a, b) => a - b);
}

export default async function bench(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'bookrun-bench-terminal-'));
  const server = await serveTerminal({ cwd: work, book: null, rcfile: null, env: { ...process.env, PS1: '$ ' } });
  try {
    // ── throughput ──
    const client = await connectTerminalClient(`ws://127.0.0.1:${server.port}/terminal`, { keepOutput: false });
    client.send({ type: 'auth', token: server.token });
    await client.next((m) => m.type === 'ready');
    client.send({ type: 'open', terminal: 1, cols: 200, rows: 50 });
    await client.next((m) => m.type === 'opened');
    await new Promise((r) => setTimeout(r, 300));
    let received = 0;
    let tail = '';
    let marker = '';
    let done: (() => void) | null = null;
    client.socket.on('message', (rawFrame) => {
      const m = JSON.parse(rawFrame.toString()) as { type: string; data?: string };
      if (m.type !== 'output' || !m.data) return;
      received += m.data.length;
      if (marker && ((tail + m.data.slice(0, 64)).includes(marker) || m.data.includes(marker))) done?.();
      tail = m.data.length >= 64 ? m.data.slice(-64) : (tail + m.data).slice(-64);
    });
    let raw = { mbps: 0, chars: 0 };
    let best = { mbps: 0, chars: 0 };
    const baseRss = process.memoryUsage().rss;
    let peakRss = baseRss;
    for (let round = 1; round <= ROUNDS; round++) {
      const r = await rawThroughput();
      if (r.mbps > raw.mbps) raw = r;
      received = 0;
      // The marker's expansion only appears in output, never in the echo of the typed line.
      marker = `bench-done-${round * 1000 + 42}`;
      const finished = new Promise<void>((resolve) => (done = resolve));
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
      const start = performance.now();
      client.send({ type: 'input', terminal: 1, data: `head -c ${size} /dev/zero | base64; echo bench-done-$((${round * 1000} + 42))\r` });
      await finished;
      const seconds = (performance.now() - start) / 1000;
      clearInterval(sampler);
      if (received / MB / seconds > best.mbps) best = { mbps: received / MB / seconds, chars: received };
    }
    console.log(`throughput raw node-pty      ${raw.mbps.toFixed(1)} MB/s (${(raw.chars / MB).toFixed(0)} MB, best of ${ROUNDS})`);
    console.log(`throughput server → ws+ack   ${best.mbps.toFixed(1)} MB/s (${(best.chars / MB).toFixed(0)} MB, best of ${ROUNDS})  ratio ${(best.mbps / raw.mbps).toFixed(2)}× raw  goal ≥ 100 MB/s`);
    console.log(`peak RSS growth while streaming: ${((peakRss - baseRss) / MB).toFixed(1)} MB (server and client in this process)`);
    await client.close();

    // ── memory under `yes` with a page that never acknowledges ──
    const stuck = await connectTerminalClient(`ws://127.0.0.1:${server.port}/terminal`, { ack: false });
    stuck.send({ type: 'auth', token: server.token });
    await stuck.next((m) => m.type === 'ready');
    stuck.send({ type: 'open', terminal: 3, cols: 200, rows: 50 });
    await stuck.next((m) => m.type === 'opened');
    const yesBase = process.memoryUsage().rss;
    let yesPeak = yesBase;
    const yesSampler = setInterval(() => (yesPeak = Math.max(yesPeak, process.memoryUsage().rss)), 20);
    stuck.send({ type: 'input', terminal: 3, data: 'yes\r' });
    await new Promise((r) => setTimeout(r, 2000));
    clearInterval(yesSampler);
    const shown = stuck.output.get(3)?.length ?? 0;
    console.log(`yes, never acked, 2 s: ${(shown / MB).toFixed(2)} MB delivered, peak RSS growth ${((yesPeak - yesBase) / MB).toFixed(1)} MB (flow control paused the pty at 1 MiB unacknowledged)`);
    await stuck.close();

    // ── keystroke echo ──
    const rawTimes = await rawEcho();
    const echoClient = await connectTerminalClient(`ws://127.0.0.1:${server.port}/terminal`);
    echoClient.send({ type: 'auth', token: server.token });
    await echoClient.next((m) => m.type === 'ready');
    echoClient.send({ type: 'open', terminal: 2, cols: 200, rows: 50 });
    await echoClient.next((m) => m.type === 'opened' && (m as { terminal: number }).terminal === 2);
    await new Promise((r) => setTimeout(r, 500));
    let waiting: (() => void) | null = null;
    echoClient.socket.on('message', (rawFrame) => {
      const m = JSON.parse(rawFrame.toString()) as { type: string; terminal?: number };
      if (m.type === 'output' && m.terminal === 2) waiting?.();
    });
    const times: number[] = [];
    for (let i = 0; i < keystrokes; i++) {
      const key = i % 50 === 49 ? '\x15' : 'a';
      const t = performance.now();
      await new Promise<void>((resolve) => {
        waiting = resolve;
        echoClient.send({ type: 'input', terminal: 2, data: key });
      });
      waiting = null;
      if (key === 'a') times.push(performance.now() - t);
      await new Promise((r) => setImmediate(r));
    }
    times.sort((a, b) => a - b);
    const [r50, r99, s50, s99] = [percentile(rawTimes, 50), percentile(rawTimes, 99), percentile(times, 50), percentile(times, 99)];
    console.log(`echo raw node-pty            p50 ${r50.toFixed(2)} ms  p99 ${r99.toFixed(2)} ms`);
    console.log(`echo through server + ws     p50 ${s50.toFixed(2)} ms  p99 ${s99.toFixed(2)} ms  ratio p50 ${(s50 / r50).toFixed(2)}× p99 ${(s99 / r99).toFixed(2)}×  goal ≤ 2 / ≤ 10 ms`);
    await echoClient.close();
  } finally {
    await server.close();
    rmSync(work, { recursive: true, force: true });
  }
}
