/**
 * The socket.io events between the browser and the API, from @praxis/realtime (types only: nothing of
 * that package is bundled). Payloads are invalidations (ids, counts), never documents: refetch through
 * the API to show anything.
 */
export type { ClientEventName, ClientEvents, ClientToServerEvents, JoinAck, ServerToClientEvents } from '@praxis/realtime';
