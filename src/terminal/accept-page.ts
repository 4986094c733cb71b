import type { WebSocket } from 'ws';
import { parseClientMessage, PROTOCOL_VERSION, type AuthMessage } from '../core/terminal-protocol.ts';
import { handleClientMessage } from './handle-client-message.ts';
import { refuseSocket } from './handshake.ts';
import type { SessionRegistry } from './session-registry.ts';
import type { StepSource } from './step-source.ts';
import { SocketConnection, type OutputCounters, type QueueLimits } from './socket-connection.ts';

/** What {@link acceptPage} attaches an authenticated socket to. */
export interface PageContext {
  registry: SessionRegistry;
  /** The server's authenticated connections (the page cap counts them). */
  connections: Set<SocketConnection>;
  maxConnections: number;
  queue: QueueLimits;
  counters: OutputCounters;
  steps: StepSource;
  cwd: string;
}

/**
 * An authenticated socket becomes a page: over the page cap it is refused (1013), unless it is a reload
 * taking over a session it already has; otherwise it gets its session (re-attached after a reload), every
 * text frame is validated and handled, and it is answered `ready` with the session's running terminals.
 */
export function acceptPage(socket: WebSocket, auth: AuthMessage, context: PageContext): void {
  const { registry, connections } = context;
  if (connections.size >= context.maxConnections && !registry.attached(auth.session)) {
    refuseSocket(socket, 1013, `too many pages connected (at most ${context.maxConnections}): close one`);
    return;
  }
  const connection = new SocketConnection(socket, context.queue, context.counters, auth.output ?? 'json');
  connections.add(connection);
  const session = registry.pick(auth.session);
  registry.claim(session, connection);
  socket.on('close', () => {
    connections.delete(connection);
    registry.detach(session, connection);
  });
  socket.on('message', (raw: Buffer, isBinary: boolean) => {
    if (!connection.open) return;
    if (isBinary) {
      connection.send({ type: 'error', message: 'binary frames are not part of the protocol: send JSON text frames' });
      return;
    }
    const parsed = parseClientMessage(raw.toString('utf8'));
    if ('error' in parsed) connection.send({ type: 'error', message: parsed.error });
    else handleClientMessage({ registry, session, connection, steps: context.steps }, parsed);
  });
  connection.send({ type: 'ready', terminals: registry.running(session), session: session.id, server: { cwd: context.cwd, version: PROTOCOL_VERSION }, output: connection.format });
}
