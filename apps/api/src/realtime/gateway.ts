import type { Viewer } from '@praxis/domain';
import {
  roomTarget,
  threadRoom,
  userRoom,
  type ClientToServerEvents,
  type JoinAck,
  type RealtimeMessage,
  type Room,
  type ServerToClientEvents,
} from '@praxis/realtime';
import type { FastifyInstance } from 'fastify';
import { Server, type Socket } from 'socket.io';
import { SESSION_COOKIE } from '../modules/auth/tokens.js';
import { credentialForAccessToken, credentialForSessionToken, type LiveCredential } from './credentials.js';
import { mayJoinNow, recheckIfAccessChangedDuring, type LiveConnection, type LiveConnections } from './live-connections.js';
import { isSameOrigin } from './origin.js';

export const SOCKET_IO_PATH = '/socket.io/';

interface SocketData {
  credential: LiveCredential;
  /** As of the handshake: only its id is used later, every permission is checked against current data. */
  viewer: Viewer | null;
}

export type Gateway = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type GatewaySocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

class HandshakeRefused extends Error {}

/** A personal access token in `auth.token`, else the session cookie; an unknown token is refused, a stale cookie is anonymous. */
async function authenticate(app: FastifyInstance, socket: GatewaySocket): Promise<SocketData> {
  const token: unknown = socket.handshake.auth.token;
  if (typeof token === 'string' && token !== '') {
    const found = await credentialForAccessToken(app.deps, token);
    if (!found) throw new HandshakeRefused('unauthenticated');
    return found;
  }
  const cookieHeader = socket.request.headers.cookie;
  const session = cookieHeader ? app.parseCookie(cookieHeader)[SESSION_COOKIE] : undefined;
  return session ? credentialForSessionToken(app.deps, session) : { credential: { kind: 'anonymous' }, viewer: null };
}

function threadIdOf(payload: unknown): number | null {
  if (typeof payload !== 'object' || payload === null || !('threadId' in payload)) return null;
  const { threadId } = payload;
  return typeof threadId === 'number' && Number.isSafeInteger(threadId) && threadId > 0 ? threadId : null;
}

async function joinThread(
  app: FastifyInstance,
  connections: LiveConnections,
  connection: LiveConnection,
  socket: GatewaySocket,
  payload: unknown,
): Promise<JoinAck> {
  const threadId = threadIdOf(payload);
  if (threadId === null) return { ok: false, error: 'bad_request' };
  const room = threadRoom(threadId);
  const changesBefore = connections.accessChanges;
  try {
    const allowed = await mayJoinNow(app, connection, room);
    // After the refusal below has been acknowledged.
    if (allowed === 'ended') setImmediate(() => connection.end('session_ended'));
    // A thread hidden from the viewer, one in a community they left, and one that does not exist answer alike.
    if (allowed !== true) return { ok: false, error: 'not_found' };
  } catch (error) {
    app.log.error({ err: error, threadId }, 'socket.io thread.join failed');
    return { ok: false, error: 'unavailable' };
  }
  // The permission check is async: the client may have gone meanwhile, and a join then would leak the room entry.
  if (!socket.connected) return { ok: false, error: 'unavailable' };
  await socket.join(room);
  await recheckIfAccessChangedDuring(app, connections, connection, changesBefore, threadId);
  return socket.rooms.has(room) ? { ok: true } : { ok: false, error: 'not_found' };
}

function liveConnection(socket: GatewaySocket): LiveConnection {
  return {
    credential: socket.data.credential,
    userId: socket.data.viewer?.id ?? null,
    threadRooms: () => [...socket.rooms].filter((room): room is Room => roomTarget(room)?.kind === 'thread'),
    dropThread: (threadId) => {
      void socket.leave(threadRoom(threadId));
      socket.emit('thread.left', { threadId, reason: 'access_changed' });
    },
    end: (reason) => {
      if (reason === 'session_ended') socket.emit('session.ended', { reason: 'signed_out' });
      socket.disconnect(true);
    },
    isOpen: () => socket.connected,
  };
}

function onConnection(app: FastifyInstance, connections: LiveConnections, socket: GatewaySocket): void {
  const { viewer } = socket.data;
  if (viewer) void socket.join(userRoom(viewer.id));
  const connection = liveConnection(socket);
  connections.add(connection);
  connections
    .closeAtExpiry(app, connection)
    .catch((error: unknown) => app.log.error({ err: error }, 'socket.io: could not read the credential expiry'));
  socket.on('disconnect', () => connections.remove(connection));
  socket.on('thread.join', (payload, ack) => {
    void joinThread(app, connections, connection, socket, payload).then((result) => {
      if (typeof ack === 'function') ack(result);
    });
  });
  socket.on('thread.leave', (payload, ack) => {
    const threadId = threadIdOf(payload);
    if (threadId !== null) void socket.leave(threadRoom(threadId));
    if (typeof ack === 'function') ack({ ok: true });
  });
}

/** socket.io on the API's HTTP server. Its upgrades reach it only through the upgrade dispatcher (see index.ts). */
export function createGateway(app: FastifyInstance, connections: LiveConnections): Gateway {
  const io: Gateway = new Server(app.server, {
    path: SOCKET_IO_PATH,
    serveClient: false,
    // engine.io would otherwise end, after a second, every upgrade that is not its own: /api/v1/stream's included.
    destroyUpgrade: false,
    // Same origin only: no CORS headers are sent, and a cross-site handshake is refused outright.
    allowRequest: (request, callback) => {
      const allowed = isSameOrigin(request.headers, app.config.publicOrigin);
      callback(allowed ? null : 'Cross-origin socket.io connections are not allowed', allowed);
    },
  });
  io.use((socket, next) => {
    authenticate(app, socket).then(
      (data) => {
        socket.data.credential = data.credential;
        socket.data.viewer = data.viewer;
        next();
      },
      (error: unknown) => {
        if (error instanceof HandshakeRefused) return next(error);
        app.log.error({ err: error }, 'socket.io handshake failed');
        next(new Error('unavailable'));
      },
    );
  });
  io.on('connection', (socket) => onConnection(app, connections, socket));
  return io;
}

export function emitToRoom(io: Gateway, message: RealtimeMessage): void {
  // RealtimeMessage does not tie `data`'s type to `event` in a way socket.io's typings can follow.
  io.to(message.room).emit(message.event, message.data as never);
}

/** Before the HTTP server closes, which would otherwise wait for every open socket.io connection. */
export function disconnectGateway(io: Gateway): void {
  io.disconnectSockets(true);
  io.engine.close();
}
