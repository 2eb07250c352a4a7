import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import { parseBusMessage } from './message.js';
import type { EventBus, BusMessage } from './types.js';

export const DEFAULT_REALTIME_CHANNEL = 'praxis:realtime';

/** Fits pino (`app.log`) and `console`. */
export interface BusLogger {
  warn(details: object, message: string): void;
}

export interface RedisEventBusOptions {
  redisUrl: string;
  channel?: string;
  logger?: BusLogger;
}

export interface RedisEventBus extends EventBus {
  readonly kind: 'redis';
  /** Resolves once this node's subscription is active: anything published afterwards reaches it. */
  ready(): Promise<void>;
}

type Listener = (message: BusMessage) => void;

const require = createRequire(import.meta.url);

/** One connection per role: a Redis connection in subscriber mode cannot publish. */
function connect(redisUrl: string, role: 'publisher' | 'subscriber', logger: BusLogger): Redis {
  // Loaded on use: the embedded mode (no Redis) never carries ioredis (≈ 16 MB of PSS).
  const { Redis: RedisClient } = require('ioredis') as typeof import('ioredis');
  const redis = new RedisClient(redisUrl, {
    connectionName: `praxis-realtime-${role}`,
    // The subscriber's SUBSCRIBE must wait out an outage instead of failing for good after 20 retries.
    ...(role === 'subscriber' && { maxRetriesPerRequest: null }),
  });
  // ioredis reconnects by itself and emits 'error' on every failed attempt: log once per outage.
  let healthy = true;
  redis.on('ready', () => {
    healthy = true;
  });
  redis.on('error', (error: Error) => {
    if (!healthy) return;
    healthy = false;
    logger.warn({ err: error, role }, 'Realtime bus: Redis connection error (reconnecting)');
  });
  return redis;
}

async function disconnect(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    try {
      await redis.quit();
      return;
    } catch {
      // fall through: drop the connection instead
    }
  }
  redis.disconnect();
}

function deliver(listeners: Set<Listener>, message: BusMessage, logger: BusLogger): void {
  for (const listener of listeners) {
    // A throwing listener would otherwise surface inside ioredis's socket data handler.
    try {
      listener(message);
    } catch (error) {
      logger.warn({ err: error, event: message.event }, 'Realtime bus: a listener failed');
    }
  }
}

/** The distributed mode's bus: Redis pub/sub on one channel, every API node subscribed. */
export function createRedisEventBus(options: RedisEventBusOptions): RedisEventBus {
  const channel = options.channel ?? DEFAULT_REALTIME_CHANNEL;
  const logger = options.logger ?? console;
  const publisher = connect(options.redisUrl, 'publisher', logger);
  const subscriber = connect(options.redisUrl, 'subscriber', logger);
  const listeners = new Set<Listener>();

  subscriber.on('message', (from: string, text: string) => {
    if (from !== channel) return;
    const message = parseBusMessage(text);
    if (!message) return logger.warn({ channel }, 'Realtime bus: dropped a malformed message');
    deliver(listeners, message, logger);
  });
  const subscribed = subscriber.subscribe(channel).then(() => undefined);
  subscribed.catch((error: unknown) => logger.warn({ err: error, channel }, 'Realtime bus: SUBSCRIBE failed'));

  return {
    kind: 'redis',
    ready: () => subscribed,
    async publish(message) {
      await publisher.publish(channel, JSON.stringify(message));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async close() {
      listeners.clear();
      await Promise.all([disconnect(publisher), disconnect(subscriber)]);
    },
  };
}
