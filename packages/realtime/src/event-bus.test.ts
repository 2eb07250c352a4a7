import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEventBus } from './create-event-bus.js';
import { createInProcessEventBus } from './in-process-bus.js';
import { createRedisEventBus } from './redis-bus.js';
import type { BusMessage, EventBus, RealtimeMessage } from './types.js';

// Set by `npm test` when Redis is reachable; without it the Redis cases are skipped.
const REDIS_URL = process.env.TEST_REDIS_URL ?? '';
const quiet = { warn: () => {} };

const postCreated = (postId: number): RealtimeMessage => ({
  room: 'thread:7',
  event: 'post.created',
  data: { threadId: 7, postId, number: postId, postCount: postId },
});

/** Resolves with the first message the listener sees that matches, rejects after a timeout. */
function nextMessage(bus: EventBus, match: (message: BusMessage) => boolean = () => true, timeoutMs = 3_000): Promise<BusMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error('no message within the timeout'));
    }, timeoutMs);
    const unsubscribe = bus.subscribe((message) => {
      if (!match(message)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(message);
    });
  });
}

interface Cluster {
  /** Another node on the same bus (the in-process bus has only one node: the same instance). */
  node(): Promise<EventBus>;
  close(): Promise<void>;
}

function inProcessCluster(): Cluster {
  const bus = createInProcessEventBus();
  return { node: async () => bus, close: () => bus.close() };
}

function redisCluster(): Cluster {
  const channel = `praxis:test:${randomUUID()}`;
  const buses: EventBus[] = [];
  return {
    async node() {
      const bus = createRedisEventBus({ redisUrl: REDIS_URL, channel, logger: quiet });
      buses.push(bus);
      await bus.ready();
      return bus;
    },
    close: async () => {
      await Promise.all(buses.map((bus) => bus.close()));
    },
  };
}

const clusters = { 'in-process': inProcessCluster, ...(REDIS_URL && { redis: redisCluster }) };

for (const [kind, makeCluster] of Object.entries(clusters)) {
  describe(`EventBus contract: ${kind}`, () => {
    let cluster: Cluster;
    afterEach(() => cluster.close());

    it('delivers a published message to every subscriber', async () => {
      cluster = makeCluster();
      const bus = await cluster.node();
      const first = nextMessage(bus);
      const second = nextMessage(bus);
      await bus.publish(postCreated(1));
      expect(await first).toEqual(postCreated(1));
      expect(await second).toEqual(postCreated(1));
    });

    it('stops delivering to a listener once it unsubscribes', async () => {
      cluster = makeCluster();
      const bus = await cluster.node();
      const gone = vi.fn();
      bus.subscribe(gone)();
      const stayed = nextMessage(bus);
      await bus.publish(postCreated(2));
      expect(await stayed).toEqual(postCreated(2));
      expect(gone).not.toHaveBeenCalled();
    });

    it('delivers a message published on one node to every other node', async () => {
      cluster = makeCluster();
      const [a, b, publisher] = [await cluster.node(), await cluster.node(), await cluster.node()];
      const onA = nextMessage(a);
      const onB = nextMessage(b);
      await publisher.publish(postCreated(3));
      expect(await onA).toEqual(postCreated(3));
      expect(await onB).toEqual(postCreated(3));
    });

    it('carries access changes between nodes too', async () => {
      cluster = makeCluster();
      const [a, publisher] = [await cluster.node(), await cluster.node()];
      const onA = nextMessage(a);
      await publisher.publish({ event: 'access.changed', scope: { userId: 5 } });
      expect(await onA).toEqual({ event: 'access.changed', scope: { userId: 5 } });
    });
  });
}

describe.skipIf(!REDIS_URL)('Redis event bus (needs TEST_REDIS_URL)', () => {
  const channel = `praxis:test:${randomUUID()}`;
  const opened: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((resource) => resource.close()));
  });

  it('drops malformed messages and keeps delivering', async () => {
    const logger = { warn: vi.fn() };
    const bus = createRedisEventBus({ redisUrl: REDIS_URL, channel, logger });
    const raw = new Redis(REDIS_URL);
    opened.push(bus, { close: async () => void (await raw.quit()) });
    await bus.ready();
    const received = vi.fn();
    bus.subscribe(received);
    const valid = nextMessage(bus);
    await raw.publish(channel, '{not json');
    await raw.publish(channel, JSON.stringify({ room: 'thread:x', event: 'post.created', data: {} }));
    await raw.publish(channel, JSON.stringify({ room: 'thread:1', event: 'no.such.event', data: {} }));
    await bus.publish(postCreated(4));
    expect(await valid).toEqual(postCreated(4));
    expect(received.mock.calls).toEqual([[postCreated(4)]]);
    expect(logger.warn).toHaveBeenCalledTimes(3);
  });

  it('keeps delivering to other listeners when one throws', async () => {
    const bus = createRedisEventBus({ redisUrl: REDIS_URL, channel, logger: quiet });
    opened.push(bus);
    await bus.ready();
    bus.subscribe(() => {
      throw new Error('listener bug');
    });
    const delivered = nextMessage(bus);
    await bus.publish(postCreated(5));
    expect(await delivered).toEqual(postCreated(5));
  });

  it('logs connection errors instead of crashing, and closes while disconnected', async () => {
    const warned = new Promise<object>((resolve) => {
      const bus = createRedisEventBus({ redisUrl: 'redis://127.0.0.1:1', channel, logger: { warn: (details) => resolve(details) } });
      opened.push(bus);
    });
    expect(await warned).toMatchObject({ err: expect.any(Error) });
  });
});

describe('createEventBus', () => {
  it('is in-process without a Redis URL and Redis with one', async () => {
    const embedded = createEventBus();
    const distributed = createEventBus({ redisUrl: 'redis://127.0.0.1:6379', channel: `praxis:test:${randomUUID()}`, logger: quiet });
    expect([embedded.kind, distributed.kind]).toEqual(['in-process', 'redis']);
    await Promise.all([embedded.close(), distributed.close()]);
  });
});
