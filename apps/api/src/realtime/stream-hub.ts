import type { RealtimeMessage, Room } from '@praxis/realtime';
import type { ServerFrame } from './stream-frames.js';

export interface StreamSubscriber {
  send(frame: ServerFrame): void;
}

/** Which /api/v1/stream connections of this node listen to which room. */
export class StreamHub {
  private readonly byRoom = new Map<Room, Set<StreamSubscriber>>();
  private readonly bySubscriber = new Map<StreamSubscriber, Set<Room>>();

  join(subscriber: StreamSubscriber, room: Room): void {
    this.setOf(this.byRoom, room).add(subscriber);
    this.setOf(this.bySubscriber, subscriber).add(room);
  }

  leave(subscriber: StreamSubscriber, room: Room): void {
    this.deleteFrom(this.byRoom, room, subscriber);
    this.deleteFrom(this.bySubscriber, subscriber, room);
  }

  leaveAll(subscriber: StreamSubscriber): void {
    for (const room of this.bySubscriber.get(subscriber) ?? []) this.deleteFrom(this.byRoom, room, subscriber);
    this.bySubscriber.delete(subscriber);
  }

  roomsOf(subscriber: StreamSubscriber): Room[] {
    return [...(this.bySubscriber.get(subscriber) ?? [])];
  }

  publish(message: RealtimeMessage): void {
    const frame: ServerFrame = { type: 'event', event: message.event, room: message.room, data: message.data };
    for (const subscriber of this.byRoom.get(message.room) ?? []) subscriber.send(frame);
  }

  private setOf<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    return set;
  }

  private deleteFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
    const set = map.get(key);
    if (!set) return;
    set.delete(value);
    if (set.size === 0) map.delete(key);
  }
}
