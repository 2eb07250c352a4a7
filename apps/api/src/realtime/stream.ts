import type { Viewer } from '@praxis/domain';
import { parseRoom, userRoom } from '@praxis/realtime';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { WebSocket, type RawData } from 'ws';
import { sendProblem } from '../plugins/errors.js';
import { viewerForAccessToken } from './credentials.js';
import { isSameOrigin } from './origin.js';
import { mayJoinRoom } from './room-access.js';
import { parseClientFrame, type ServerFrame } from './stream-frames.js';
import type { StreamHub, StreamSubscriber } from './stream-hub.js';

export const STREAM_PATH = '/api/v1/stream';
const KEEPALIVE_MS = 30_000;
/** A client this far behind is not reading; dropping it beats buffering without bound. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** Frames waiting for an answer (subscribes wait on the database); more than this is a flood, not a client. */
const MAX_PENDING_FRAMES = 32;

function queryToken(query: unknown): string | null {
  if (typeof query !== 'object' || query === null || !('token' in query)) return null;
  return typeof query.token === 'string' && query.token !== '' ? query.token : null;
}

/**
 * Runs before the upgrade, so a refusal is a plain HTTP 401/403. The global auth hook has already read a
 * Bearer header or the session cookie; `?token=` is for clients that cannot set headers.
 */
async function authenticateStream(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  if (request.authMethod === 'cookie' && !isSameOrigin(request.headers, app.config.publicOrigin)) {
    return sendProblem(reply, 'CSRF_REJECTED', `Cookie-authenticated streams must come from ${app.config.publicOrigin}, or use a personal access token`);
  }
  if (request.viewer) return undefined;
  const token = queryToken(request.query);
  const viewer = token ? await viewerForAccessToken(app.deps, token) : null;
  if (!viewer) return sendProblem(reply, 'UNAUTHENTICATED', 'Sign in, or pass a personal access token (Authorization: Bearer, or ?token=)');
  request.viewer = viewer;
  request.authMethod = 'token';
  return undefined;
}

function sendFrame(socket: WebSocket, frame: ServerFrame): void {
  if (socket.readyState !== WebSocket.OPEN) return;
  if (socket.bufferedAmount > MAX_BUFFERED_BYTES) return socket.terminate();
  socket.send(JSON.stringify(frame));
}

async function subscribe(app: FastifyInstance, hub: StreamHub, connection: Connection, roomName: string): Promise<ServerFrame> {
  const room = parseRoom(roomName);
  if (!room) return { type: 'error', message: 'Rooms look like "thread:<id>" or "user:<id>"', room: roomName };
  if (!(await mayJoinRoom(app.deps, connection.viewer, room))) return { type: 'error', message: `No room ${room} for you`, room };
  // The check above is async: the socket may have closed meanwhile, and joining then would leak.
  if (connection.socket.readyState === WebSocket.OPEN) hub.join(connection.subscriber, room);
  return { type: 'subscribed', room };
}

interface Connection {
  socket: WebSocket;
  viewer: Viewer;
  subscriber: StreamSubscriber;
}

async function answerFrame(app: FastifyInstance, hub: StreamHub, connection: Connection, data: RawData, isBinary: boolean): Promise<ServerFrame> {
  if (isBinary) return { type: 'error', message: 'Frames must be JSON text' };
  const frame = parseClientFrame(data.toString());
  if ('error' in frame) return { type: 'error', message: frame.error };
  if (frame.type === 'ping') return { type: 'pong' };
  if (frame.type === 'subscribe') return subscribe(app, hub, connection, frame.room);
  const room = parseRoom(frame.room);
  if (!room) return { type: 'error', message: 'Rooms look like "thread:<id>" or "user:<id>"', room: frame.room };
  hub.leave(connection.subscriber, room);
  return { type: 'unsubscribed', room };
}

/** Protocol-level pings; a connection that missed the previous pong is dead (half-open TCP, sleeping laptop). */
function keepAlive(socket: WebSocket): void {
  let alive = true;
  socket.on('pong', () => {
    alive = true;
  });
  const timer = setInterval(() => {
    if (!alive) return socket.terminate();
    alive = false;
    socket.ping();
  }, KEEPALIVE_MS);
  timer.unref();
  socket.on('close', () => clearInterval(timer));
}

function serveConnection(app: FastifyInstance, hub: StreamHub, socket: WebSocket, viewer: Viewer): void {
  const connection: Connection = { socket, viewer, subscriber: { send: (frame) => sendFrame(socket, frame) } };
  const ownRoom = userRoom(viewer.id);
  hub.join(connection.subscriber, ownRoom);
  connection.subscriber.send({ type: 'subscribed', room: ownRoom });
  // Frames are answered one at a time, in order: a subscribe still checking permissions must not finish after a later unsubscribe.
  let queue = Promise.resolve();
  let pending = 0;
  socket.on('message', (data, isBinary) => {
    if (++pending > MAX_PENDING_FRAMES) return socket.close(1008, 'Too many frames in flight');
    queue = queue
      .then(() => answerFrame(app, hub, connection, data, isBinary))
      .catch((error: unknown): ServerFrame => {
        app.log.error({ err: error }, 'stream frame failed');
        return { type: 'error', message: 'Something went wrong on our side' };
      })
      .then((reply) => {
        pending--;
        connection.subscriber.send(reply);
      });
  });
  socket.on('close', () => hub.leaveAll(connection.subscriber));
  keepAlive(socket);
}

/** GET /api/v1/stream: the plain WebSocket alternative to socket.io, for scripts and integrations. */
export function registerStream(app: FastifyInstance, hub: StreamHub): void {
  app.get(STREAM_PATH, { websocket: true, preHandler: (request, reply) => authenticateStream(app, request, reply) }, (socket, request) => {
    if (!request.viewer) return socket.close(4401, 'unauthenticated');
    serveConnection(app, hub, socket, request.viewer);
  });
}
