import { createInProcessEventBus } from './in-process-bus.js';
import { createRedisEventBus, type BusLogger } from './redis-bus.js';
import type { EventBus } from './types.js';

export interface EventBusOptions {
  /** Set in the distributed mode: every process then shares one Redis pub/sub channel. */
  redisUrl?: string;
  channel?: string;
  logger?: BusLogger;
}

export function createEventBus(options: EventBusOptions = {}): EventBus {
  if (!options.redisUrl) return createInProcessEventBus();
  return createRedisEventBus({ redisUrl: options.redisUrl, channel: options.channel, logger: options.logger });
}
