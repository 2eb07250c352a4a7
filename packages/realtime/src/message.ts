import type { AccessScope, BusMessage, ClientEventName, ClientEvents, Room } from './types.js';

const clientEventNames: Record<ClientEventName, true> = {
  'post.created': true,
  'thread.updated': true,
  'matching.updated': true,
  'notification.created': true,
  'notification.read': true,
};

const roomPattern = /^(user|thread):([1-9][0-9]{0,15})$/;

export interface RoomTarget {
  kind: 'user' | 'thread';
  id: number;
}

export function isClientEventName(value: unknown): value is ClientEventName {
  return typeof value === 'string' && Object.hasOwn(clientEventNames, value);
}

/** `user:<id>` or `thread:<id>` with a positive safe integer id; anything else is null. */
export function parseRoom(value: unknown): Room | null {
  return roomTarget(value) ? (value as Room) : null;
}

export function roomTarget(value: unknown): RoomTarget | null {
  if (typeof value !== 'string') return null;
  const match = roomPattern.exec(value);
  if (!match) return null;
  const id = Number(match[2]);
  if (!Number.isSafeInteger(id)) return null;
  return { kind: match[1] === 'user' ? 'user' : 'thread', id };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isId = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value > 0;

function parseAccessScope(value: unknown): AccessScope | null {
  if (!isRecord(value)) return null;
  if (isId(value.userId)) return { userId: value.userId };
  if (isId(value.threadId)) return { threadId: value.threadId };
  return null;
}

/** A message from the wire, or null when it is not JSON or not shaped like a RealtimeMessage or an access change. */
export function parseBusMessage(text: string): BusMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(value)) return null;
  if (value.event === 'access.changed') {
    const scope = parseAccessScope(value.scope);
    return scope ? { event: 'access.changed', scope } : null;
  }
  if (!isClientEventName(value.event) || !isRecord(value.data)) return null;
  const room = parseRoom(value.room);
  if (!room) return null;
  // The payload's fields are not checked one by one: only our own worker publishes on this channel,
  // and clients treat payloads as invalidation hints that they refetch through the API anyway.
  return { room, event: value.event, data: value.data as unknown as ClientEvents[ClientEventName] };
}
