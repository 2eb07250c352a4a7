import type { IncomingHttpHeaders } from 'node:http';
import websocket from '@fastify/websocket';
import { isAccessChanged, roomTarget, type BusMessage, type RealtimeMessage } from '@praxis/realtime';
import type { FastifyInstance } from 'fastify';
import { createGateway, disconnectGateway, emitToRoom, SOCKET_IO_PATH, type Gateway } from './gateway.js';
import { applyAccessChange, LiveConnections } from './live-connections.js';
import { MAX_FRAME_BYTES } from './stream-frames.js';
import { StreamHub } from './stream-hub.js';
import { registerStream } from './stream.js';
import { installUpgradeDispatcher, upgradeListenerAddedBy, type UpgradeRoutes } from './upgrade-dispatcher.js';

function fanOut(app: FastifyInstance, io: Gateway, hub: StreamHub, message: RealtimeMessage): void {
  const target = roomTarget(message.room);
  // Every node hears every message: this is what keeps the 5-second anonymous read cache consistent across nodes.
  if (target?.kind === 'thread') {
    app.threadCache.invalidate(target.id);
    app.pageCache.clear();
  }
  // A message for one person (a notification, their matching panel) changes what their pages show.
  if (target?.kind === 'user') app.credentials.forgetUser(target.id);
  if (message.event === 'matching.updated') app.threadCache.invalidate((message.data as { threadId: number }).threadId);
  emitToRoom(io, message);
  hub.publish(message);
}

/**
 * An upgrade request answered with plain HTTP (a 401 from the global auth hook, a 404) leaves behind a socket
 * that Node's HTTP server no longer manages: no keep-alive timeout will ever close it. @fastify/websocket
 * destroys it only when its own onRequest hook ran, which an earlier hook that replies prevents.
 */
function destroyRefusedUpgrades(app: FastifyInstance): void {
  app.addHook('onResponse', (request, _reply, done) => {
    if (isUpgradeRequest(request.headers)) request.raw.socket.destroy();
    done();
  });
}

/** Node's own rule for emitting 'upgrade' (given an 'upgrade' listener, which the dispatcher always is). */
function isUpgradeRequest(headers: IncomingHttpHeaders): boolean {
  return headers.upgrade !== undefined && /(^|,)\s*upgrade\s*(,|$)/i.test(headers.connection ?? '');
}

/** After ready, when both libraries have attached; the dispatcher also serves app.listen(), which readies first. */
function routeUpgrades(app: FastifyInstance, routes: UpgradeRoutes): void {
  let uninstall = () => {};
  app.addHook('onReady', async () => {
    uninstall = installUpgradeDispatcher(app.server, routes);
  });
  app.addHook('onClose', async () => uninstall());
}

function feedFromBus(app: FastifyInstance, io: Gateway, hub: StreamHub, connections: LiveConnections): void {
  const unsubscribe = app.bus.subscribe((message: BusMessage) => {
    if (isAccessChanged(message)) {
      if ('userId' in message.scope) app.credentials.forgetUser(message.scope.userId);
      void applyAccessChange(app, connections, message.scope);
      return;
    }
    // The in-process bus calls listeners inside publish(): a fan-out bug must not fail the publisher.
    try {
      fanOut(app, io, hub, message);
    } catch (error) {
      app.log.error({ err: error, room: message.room, event: message.event }, 'realtime fan-out failed');
    }
  });
  // Not io.close(): it waits for the HTTP server's 'close' event, which has already fired by onClose.
  app.addHook('preClose', async () => {
    unsubscribe();
    disconnectGateway(io);
  });
}

/** socket.io gateway and the /api/v1/stream WebSocket, both fed by app.bus. */
export async function registerRealtime(app: FastifyInstance): Promise<void> {
  const hub = new StreamHub();
  const connections = new LiveConnections();
  const { listener: streamUpgrade } = await upgradeListenerAddedBy(app.server, '@fastify/websocket', () =>
    app.register(websocket, { options: { maxPayload: MAX_FRAME_BYTES } }),
  );
  destroyRefusedUpgrades(app);
  registerStream(app, { hub, connections });
  const { result: io, listener: socketIoUpgrade } = await upgradeListenerAddedBy(app.server, 'socket.io', () =>
    createGateway(app, connections),
  );
  routeUpgrades(app, { prefix: SOCKET_IO_PATH, prefixListener: socketIoUpgrade, otherListener: streamUpgrade });
  feedFromBus(app, io, hub, connections);
}
