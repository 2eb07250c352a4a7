import { describe, expect, it } from 'vitest';
import { parseBusMessage, parseRoom, roomTarget } from './message.js';

describe('rooms', () => {
  it('accepts user and thread rooms with positive integer ids only', () => {
    expect(parseRoom('thread:12')).toBe('thread:12');
    expect(roomTarget('user:3')).toEqual({ kind: 'user', id: 3 });
    for (const bad of [
      'thread:0',
      'thread:-1',
      'thread:1.5',
      'thread:012',
      'community:1',
      'user:',
      ' user:1',
      'thread:99999999999999999',
      12,
      null,
    ]) {
      expect(parseRoom(bad)).toBeNull();
    }
  });
});

describe('parseBusMessage', () => {
  it('reads a well-formed message', () => {
    const message = { room: 'user:1', event: 'notification.read', data: { unreadCount: 0 } };
    expect(parseBusMessage(JSON.stringify(message))).toEqual(message);
  });

  it('returns null for anything else', () => {
    for (const text of [
      '',
      '{',
      'null',
      '[]',
      '{"room":"user:1","event":"notification.read"}',
      '{"room":"user:1","event":"toString","data":{}}',
      '{"room":"x","event":"notification.read","data":{}}',
    ]) {
      expect(parseBusMessage(text)).toBeNull();
    }
  });
});

describe('access changes on the bus', () => {
  it('reads a user or thread scope, and nothing else', () => {
    expect(parseBusMessage('{"event":"access.changed","scope":{"userId":4}}')).toEqual({ event: 'access.changed', scope: { userId: 4 } });
    expect(parseBusMessage('{"event":"access.changed","scope":{"threadId":9}}')).toEqual({
      event: 'access.changed',
      scope: { threadId: 9 },
    });
    for (const text of [
      '{"event":"access.changed"}',
      '{"event":"access.changed","scope":{"userId":0}}',
      '{"event":"access.changed","scope":{"communityId":1}}',
    ]) {
      expect(parseBusMessage(text)).toBeNull();
    }
  });
});
