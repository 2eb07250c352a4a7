import websocket from '@fastify/websocket';
import { roomTarget, type RealtimeMessage } from '@praxis/realtime';
import type { FastifyInstance } from 'fastify';
import { createGateway, disconnectGateway, emitToRoom, SOCKET_IO_PATH, type Gateway } from './gateway.js';
import { MAX_FRAME_BYTES } from './stream-frames.js';
import { StreamHub } from './stream-hub.js';
import { registerStream } from './stream.js';
import { installUpgradeDispatcher, upgradeListenerAddedBy } from './upgrade-dispatcher.js';

function fanOut(app: FastifyInstance, io: Gateway, hub: StreamHub, message: RealtimeMessage): void {
  const target = roomTarget(message.room);
  // Every node hears every message: this is what keeps the 5-second anonymous read cache consistent across nodes.
  if (target?.kind === 'thread') app.threadCache.invalidate(target.id);
  emitToRoom(io, message);
  hub.publish(message);
}

/** socket.io gateway and the /api/v1/stream WebSocket, both fed by app.bus. */
export async function registerRealtime(app: FastifyInstance): Promise<void> {
  const hub = new StreamHub();
  const streamUpgrade = await upgradeListenerAddedBy(app.server, '@fastify/websocket', () =>
    app.register(websocket, { options: { maxPayload: MAX_FRAME_BYTES } }),
  );
  registerStream(app, hub);
  let io: Gateway | undefined;
  const socketIoUpgrade = await upgradeListenerAddedBy(app.server, 'socket.io', () => {
    io = createGateway(app);
  });
  if (!io) throw new Error('socket.io gateway was not created');
  const gateway = io;

  let uninstallDispatcher = () => {};
  app.addHook('onReady', async () => {
    uninstallDispatcher = installUpgradeDispatcher(app.server, { prefix: SOCKET_IO_PATH, prefixListener: socketIoUpgrade, otherListener: streamUpgrade });
  });

  const unsubscribe = app.bus.subscribe((message) => {
    try {
      fanOut(app, gateway, hub, message);
    } catch (error) {
      app.log.error({ err: error, room: message.room, event: message.event }, 'realtime fan-out failed');
    }
  });

  app.addHook('preClose', async () => {
    unsubscribe();
    disconnectGateway(gateway);
  });
  app.addHook('onClose', async () => {
    uninstallDispatcher();
    await gateway.close();
  });
}
