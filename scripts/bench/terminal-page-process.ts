/**
 * The page's side of the terminal bench, in a process of its own (as a browser tab is): a real `ws` client
 * speaking the protocol, acknowledging output as xterm.js does, told by the bench over IPC what to do and
 * measuring on its own clock what a page would see. Not a benchmark file itself (no `.bench.ts`).
 */
import type { ServerMessage } from '../../src/core/terminal-protocol.ts';
import { connectTerminalClient, type TerminalClient } from '../../src/terminal/connect-terminal-client.ts';

type Command =
  | { kind: 'connect'; port: number; token: string; terminal: number }
  | { kind: 'stream'; data: string; marker: string }
  | { kind: 'echo'; keystrokes: number }
  | { kind: 'run'; times: number; chapter: string; step: string; variant: string }
  | { kind: 'close' };

let client: TerminalClient;
let terminal = 1;
/** Where messages go once the client read them (each frame read once, as a page reads it before xterm.js draws it). */
let listener: ((message: ServerMessage) => void) | null = null;
const reply = (message: unknown) => process.send!(message);

async function handle(command: Command): Promise<void> {
  switch (command.kind) {
    case 'connect': {
      terminal = command.terminal;
      client = await connectTerminalClient(`ws://127.0.0.1:${command.port}/terminal`, { keepOutput: false, onMessage: (m) => listener?.(m) });
      // As the site's page does: output in binary frames.
      client.send({ type: 'auth', token: command.token, output: 'binary' });
      await client.next((m) => m.type === 'ready');
      client.send({ type: 'open', terminal, cols: 200, rows: 50 });
      await client.next((m) => m.type === 'opened');
      await new Promise((r) => setTimeout(r, 300));
      return void reply({ kind: 'connected' });
    }
    case 'stream': {
      // Every output frame is parsed (by the client, once) and acknowledged; the marker's expansion appears only in output.
      let received = 0;
      let tail = '';
      const start = performance.now();
      await new Promise<void>((resolve) => {
        listener = (m) => {
          if (m.type !== 'output' || m.terminal !== terminal) return;
          received += m.data.length;
          if ((tail + m.data).includes(command.marker)) {
            listener = null;
            resolve();
          }
          tail = m.data.slice(-64);
        };
        client.send({ type: 'input', terminal, data: command.data });
      });
      return void reply({ kind: 'streamed', received, ms: performance.now() - start });
    }
    case 'echo': {
      const times: number[] = [];
      let waiting: (() => void) | null = null;
      listener = (m) => {
        if (m.type === 'output' && m.terminal === terminal) waiting?.();
      };
      for (let i = 0; i < command.keystrokes; i++) {
        const key = i % 50 === 49 ? '\x15' : 'a'; // ctrl+u now and then keeps the line short
        const t = performance.now();
        await new Promise<void>((resolve) => {
          waiting = resolve;
          client.send({ type: 'input', terminal, data: key });
        });
        waiting = null;
        if (key === 'a') times.push(performance.now() - t);
        await new Promise((r) => setImmediate(r));
      }
      listener = null;
      client.send({ type: 'input', terminal, data: '\x15' });
      return void reply({ kind: 'echoed', times });
    }
    case 'run': {
      // What a click on Run costs before the reader sees something: the `run` frame out, the first output back.
      const times: number[] = [];
      for (let i = 0; i < command.times; i++) {
        // The previous step's prompt has come back meanwhile, as it has when a reader clicks the next Run.
        await new Promise((r) => setTimeout(r, 150));
        const id = `bench-${i}`;
        let first = 0;
        let ended = false;
        const t = performance.now();
        await new Promise<void>((resolve) => {
          // Done once the step's verdict and its first output are both in (a quick step's verdict may come first).
          listener = (m) => {
            if (!first && m.type === 'output' && m.terminal === 1) first = performance.now() - t;
            if (m.type === 'run-status' && m.id === id && m.status !== 'running') ended = true;
            if (ended && first) {
              listener = null;
              resolve();
            }
          };
          client.send({ type: 'run', id, chapter: command.chapter, step: command.step, variant: command.variant });
        });
        times.push(first);
      }
      return void reply({ kind: 'ran', times });
    }
    case 'close':
      await client?.close();
      reply({ kind: "closed" });
      process.exit(0);
  }
}

process.on('message', (command: Command) => void handle(command));
