import { createBullMqQueue } from './bullmq.js';
import { createInProcessQueue } from './in-process.js';
import type { Log } from './log.js';
import type { JobQueue } from './types.js';

export * from './types.js';
export { createBullMqQueue, type BullMqJobQueue, type BullMqQueueOptions } from './bullmq.js';
export { createInProcessQueue, type InProcessQueueOptions } from './in-process.js';
export type { Log } from './log.js';

/** BullMQ on Redis when `redisUrl` is set (distributed mode), otherwise the in-process queue (embedded mode). */
export function createJobQueue(options: { redisUrl?: string; prefix?: string; log?: Log } = {}): JobQueue {
  const { redisUrl, prefix, log } = options;
  return redisUrl ? createBullMqQueue({ redisUrl, prefix, log }) : createInProcessQueue({ log });
}
