import type { Viewer } from '@praxis/domain';
import { threadRoom, userRoom, type ClientToServerEvents, type JoinAck, type RealtimeMessage, type ServerToClientEvents } from '@praxis/realtime';
import type { FastifyInstance } from 'fastify';
import { Server, type Socket } from 'socket.io';
import { SESSION_COOKIE } from '../modules/auth/tokens.js';
import { viewerForAccessToken, viewerForSessionToken } from './credentials.js';
import { isSameOrigin } from './origin.js';
import { mayJoinRoom } from './room-access.js';

export const SOCKET_IO_PATH = '/socket.io/';

interface SocketData {
  viewer: Viewer | null;
}

export type Gateway = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type GatewaySocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

class HandshakeRefused extends Error {}

/** A personal access token in `auth.token`, else the session cookie; an unknown token is refused, a stale cookie is anonymous. */
async function authenticate(app: FastifyInstance, socket: GatewaySocket): Promise<Viewer | null> {
  const token: unknown = socket.handshake.auth.token;
  if (typeof token === 'string' && token !== '') {
    const viewer = await viewerForAccessToken(app.deps, token);
    if (!viewer) throw new HandshakeRefused('unauthenticated');
    return viewer;
  }
  const cookieHeader = socket.request.headers.cookie;
  const session = cookieHeader ? app.parseCookie(cookieHeader)[SESSION_COOKIE] : undefined;
  return session ? viewerForSessionToken(app.deps, session) : null;
}

function threadIdOf(payload: unknown): number | null {
  if (typeof payload !== 'object' || payload === null || !('threadId' in payload)) return null;
  const { threadId } = payload;
  return typeof threadId === 'number' && Number.isSafeInteger(threadId) && threadId > 0 ? threadId : null;
}

async function joinThread(app: FastifyInstance, socket: GatewaySocket, payload: unknown): Promise<JoinAck> {
  const threadId = threadIdOf(payload);
  if (threadId === null) return { ok: false, error: 'bad_request' };
  const room = threadRoom(threadId);
  try {
    if (!(await mayJoinRoom(app.deps, socket.data.viewer, room))) return { ok: false, error: 'not_found' };
  } catch (error) {
    app.log.error({ err: error, threadId }, 'socket.io thread.join failed');
    return { ok: false, error: 'unavailable' };
  }
  // The permission check is async: the client may have gone meanwhile, and a join then would leak the room entry.
  if (!socket.connected) return { ok: false, error: 'unavailable' };
  await socket.join(room);
  return { ok: true };
}

function onConnection(app: FastifyInstance, socket: GatewaySocket): void {
  const { viewer } = socket.data;
  if (viewer) void socket.join(userRoom(viewer.id));
  socket.on('thread.join', (payload, ack) => {
    void joinThread(app, socket, payload).then((result) => {
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
export function createGateway(app: FastifyInstance): Gateway {
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
      (viewer) => {
        socket.data.viewer = viewer;
        next();
      },
      (error: unknown) => {
        if (error instanceof HandshakeRefused) return next(error);
        app.log.error({ err: error }, 'socket.io handshake failed');
        next(new Error('unavailable'));
      },
    );
  });
  io.on('connection', (socket) => onConnection(app, socket));
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
