import type { ClientMessage } from '../core/terminal-protocol.ts';
import { handleRunRequest } from './handle-run-request.ts';
import type { Session, SessionRegistry } from './session-registry.ts';
import type { StepSource } from './step-source.ts';
import type { PageConnection } from './socket-connection.ts';
import type { Terminal } from './terminal.ts';

/** What a message from an authenticated page acts on. */
export interface MessageContext {
  registry: SessionRegistry;
  session: Session;
  connection: PageConnection;
  /** Where the steps `run` requests name come from (the book here, or a published book's plans). */
  steps: StepSource;
}

/**
 * Acts on one validated message of an authenticated page (docs/reference/terminal-protocol.md, "Client
 * messages"). `input`, `resize` and `signal` need the terminal opened by this page; an `ack` of more output
 * than this socket was sent closes it (1008); `run` goes to {@link handleRunRequest}.
 */
export function handleClientMessage(context: MessageContext, message: ClientMessage): void {
  const { registry, session, connection } = context;
  const attached = (n: number): Terminal | null => {
    const t = registry.attachedTerminal(session, n);
    if (!t) connection.send({ type: 'error', message: `terminal ${n} is not open: send {"type":"open","terminal":${n}} first` });
    return t;
  };
  switch (message.type) {
    case 'auth':
      connection.send({ type: 'error', message: 'already authenticated' });
      return;
    case 'open': {
      const result = registry.open(session, message.terminal, { cols: message.cols, rows: message.rows });
      if (typeof result === 'string') connection.send({ type: 'error', message: result });
      return;
    }
    case 'input':
      attached(message.terminal)?.input(message.data);
      return;
    case 'resize':
      attached(message.terminal)?.shell.resize(message.cols, message.rows);
      return;
    case 'signal':
      attached(message.terminal)?.signal(message.signal);
      return;
    case 'ack':
      // An ack is the page's word that it drew output: more than it was sent is a lie, and would unpause a flood.
      if (!connection.acknowledge(message.terminal, message.bytes)) {
        connection.close(1008, `terminal ${message.terminal}: acknowledged more output than was sent`);
        return;
      }
      session.terminals.get(message.terminal)?.ack(message.bytes);
      return;
    case 'close':
      registry.close(session, message.terminal);
      return;
    case 'status':
      connection.send({
        type: 'status',
        terminals: [...session.terminals.values()]
          .filter((t) => !t.exited)
          .sort((a, b) => a.number - b.number)
          .map((t) => ({ terminal: t.number, running: t.running, request: t.request, last: t.lastRun })),
      });
      return;
    case 'run':
      void handleRunRequest(context, message);
      return;
  }
}
