import type { ClientEventName, ClientEvents, Room } from '@praxis/realtime';

/** What a /api/v1/stream client may send. */
export type ClientFrame = { type: 'subscribe' | 'unsubscribe'; room: string } | { type: 'ping' };

/**
 * What the server sends. `room` on an error names the room a refused subscribe was for. An `unsubscribed` with a
 * `reason` was not asked for: the viewer may no longer read that thread. A connection whose session or token
 * ended is closed with code 4401.
 */
export type ServerFrame =
  | { type: 'subscribed'; room: Room }
  | { type: 'unsubscribed'; room: Room; reason?: 'access_changed' }
  | { type: 'event'; event: ClientEventName; room: Room; data: ClientEvents[ClientEventName] }
  | { type: 'error'; message: string; room?: string }
  | { type: 'pong' };

export const MAX_FRAME_BYTES = 4 * 1024;

export function parseClientFrame(text: string): ClientFrame | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: 'Frames must be JSON' };
  }
  if (typeof value !== 'object' || value === null || !('type' in value)) return { error: 'Frames must be JSON objects with a "type"' };
  if (value.type === 'ping') return { type: 'ping' };
  if (value.type !== 'subscribe' && value.type !== 'unsubscribe')
    return { error: 'Unknown frame type: send "subscribe", "unsubscribe" or "ping"' };
  if (!('room' in value) || typeof value.room !== 'string') return { error: `A ${value.type} frame needs a "room", like "thread:12"` };
  return { type: value.type, room: value.room };
}
