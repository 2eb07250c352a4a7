import type { Viewer } from '@praxis/domain';
import { parseRoom, roomTarget, threadRoom, userRoom, type Room } from '@praxis/realtime';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { WebSocket, type RawData } from 'ws';
import { sendProblem } from '../plugins/errors.js';
import { credentialForAccessToken, type LiveCredential } from './credentials.js';
import { mayJoinNow, recheckIfAccessChangedDuring, type LiveConnection, type LiveConnections } from './live-connections.js';
import { isSameOrigin } from './origin.js';
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
    return sendProblem(
      reply,
      'CSRF_REJECTED',
      `Cookie-authenticated streams must come from ${app.config.publicOrigin}, or use a personal access token`,
    );
  }
  if (request.viewer) return undefined;
  const token = queryToken(request.query);
  const found = token ? await credentialForAccessToken(app.deps, token) : null;
  if (!found) return sendProblem(reply, 'UNAUTHENTICATED', 'Sign in, or pass a personal access token (Authorization: Bearer, or ?token=)');
  request.viewer = found.viewer;
  request.authMethod = 'token';
  request.accessToken = found.grant;
  return undefined;
}

/** What the request was authenticated with, kept by the connection so that every later check resolves it again. */
function credentialOf(request: FastifyRequest): LiveCredential | null {
  if (request.authMethod === 'cookie' && request.sessionTokenHash) return { kind: 'session', sessionId: request.sessionTokenHash };
  if (request.authMethod === 'token' && request.accessToken) return { kind: 'token', tokenId: request.accessToken.id };
  return null;
}

function sendFrame(socket: WebSocket, frame: ServerFrame): void {
  if (socket.readyState !== WebSocket.OPEN) return;
  if (socket.bufferedAmount > MAX_BUFFERED_BYTES) return socket.terminate();
  socket.send(JSON.stringify(frame));
}

async function subscribe(app: FastifyInstance, live: Live, connection: Connection, roomName: string): Promise<ServerFrame> {
  const room = parseRoom(roomName);
  if (!room) return { type: 'error', message: 'Rooms look like "thread:<id>" or "user:<id>"', room: roomName };
  const changesBefore = live.connections.accessChanges;
  const allowed = await mayJoinNow(app, connection.live, room);
  // After this refusal has been sent.
  if (allowed === 'ended') setImmediate(() => connection.live.end('session_ended'));
  // A thread hidden from the viewer, one in a community they left, and one that does not exist answer alike.
  if (allowed !== true) return { type: 'error', message: `No room ${room} for you`, room };
  // The check above is async: the socket may have closed meanwhile, and joining then would leak.
  if (connection.socket.readyState !== WebSocket.OPEN) return { type: 'error', message: 'The connection is closing', room };
  live.hub.join(connection.subscriber, room);
  const target = roomTarget(room);
  if (target?.kind === 'thread') await recheckIfAccessChangedDuring(app, live.connections, connection.live, changesBefore, target.id);
  if (!live.hub.roomsOf(connection.subscriber).includes(room)) return { type: 'error', message: `No room ${room} for you`, room };
  return { type: 'subscribed', room };
}

interface Live {
  hub: StreamHub;
  connections: LiveConnections;
}

interface Connection {
  socket: WebSocket;
  subscriber: StreamSubscriber;
  live: LiveConnection;
}

async function answerFrame(
  app: FastifyInstance,
  live: Live,
  connection: Connection,
  data: RawData,
  isBinary: boolean,
): Promise<ServerFrame> {
  if (isBinary) return { type: 'error', message: 'Frames must be JSON text' };
  const frame = parseClientFrame(data.toString());
  if ('error' in frame) return { type: 'error', message: frame.error };
  if (frame.type === 'ping') return { type: 'pong' };
  if (frame.type === 'subscribe') return subscribe(app, live, connection, frame.room);
  const room = parseRoom(frame.room);
  if (!room) return { type: 'error', message: 'Rooms look like "thread:<id>" or "user:<id>"', room: frame.room };
  live.hub.leave(connection.subscriber, room);
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

function liveConnection(
  hub: StreamHub,
  socket: WebSocket,
  subscriber: StreamSubscriber,
  credential: LiveCredential,
  viewer: Viewer,
): LiveConnection {
  return {
    credential,
    userId: viewer.id,
    threadRooms: () => hub.roomsOf(subscriber).filter((room): room is Room => roomTarget(room)?.kind === 'thread'),
    dropThread: (threadId) => {
      const room = threadRoom(threadId);
      hub.leave(subscriber, room);
      subscriber.send({ type: 'unsubscribed', room, reason: 'access_changed' });
    },
    end: (reason) => {
      hub.leaveAll(subscriber);
      if (reason === 'session_ended') socket.close(4401, 'session ended');
      else socket.close(1011, 'unavailable');
    },
    isOpen: () => socket.readyState === WebSocket.OPEN,
  };
}

function serveConnection(app: FastifyInstance, live: Live, socket: WebSocket, credential: LiveCredential, viewer: Viewer): void {
  const subscriber: StreamSubscriber = { send: (frame) => sendFrame(socket, frame) };
  const connection: Connection = { socket, subscriber, live: liveConnection(live.hub, socket, subscriber, credential, viewer) };
  const { hub } = live;
  live.connections.add(connection.live);
  live.connections
    .closeAtExpiry(app, connection.live)
    .catch((error: unknown) => app.log.error({ err: error }, 'stream: could not read the credential expiry'));
  const ownRoom = userRoom(viewer.id);
  hub.join(connection.subscriber, ownRoom);
  connection.subscriber.send({ type: 'subscribed', room: ownRoom });
  // Frames are answered one at a time, in order: a subscribe still checking permissions must not finish after a later unsubscribe.
  let queue = Promise.resolve();
  let pending = 0;
  socket.on('message', (data, isBinary) => {
    if (++pending > MAX_PENDING_FRAMES) return socket.close(1008, 'Too many frames in flight');
    queue = queue
      .then(() => answerFrame(app, live, connection, data, isBinary))
      .catch((error: unknown): ServerFrame => {
        app.log.error({ err: error }, 'stream frame failed');
        return { type: 'error', message: 'Something went wrong on our side' };
      })
      .then((reply) => {
        pending--;
        connection.subscriber.send(reply);
      });
  });
  socket.on('close', () => {
    hub.leaveAll(connection.subscriber);
    live.connections.remove(connection.live);
  });
  keepAlive(socket);
}

/** GET /api/v1/stream: the plain WebSocket alternative to socket.io, for scripts and integrations. */
export function registerStream(app: FastifyInstance, live: Live): void {
  app.get(STREAM_PATH, { websocket: true, preHandler: (request, reply) => authenticateStream(app, request, reply) }, (socket, request) => {
    const credential = credentialOf(request);
    if (!request.viewer || !credential) return socket.close(4401, 'unauthenticated');
    serveConnection(app, live, socket, credential, request.viewer);
  });
}
