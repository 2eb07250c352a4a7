import { randomUUID } from 'node:crypto';
import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createBullMqQueue, type BullMqQueueOptions } from './bullmq.js';
import { describeJobQueueContract, gate, isIdle, waitFor } from './contract.js';
import type { Outcome } from './types.js';

// Set by `npm test` when Redis is reachable (REDIS_URL or 127.0.0.1:6379); without it these tests are skipped.
const redisUrl = process.env.TEST_REDIS_URL ?? '';
// Every queue instance gets its own prefix under this file's random one, so neither concurrent runs
// nor earlier tests (a job scheduler lives on in Redis) can interfere.
const filePrefix = `praxis-test-${randomUUID().slice(0, 8)}`;
let instances = 0;
const newPrefix = () => `${filePrefix}-${++instances}`;
const quiet = () => {};

afterAll(async () => {
  if (!redisUrl) return;
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`${filePrefix}-*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

if (redisUrl) describeJobQueueContract('bullmq', async () => createBullMqQueue({ redisUrl, prefix: newPrefix(), log: quiet }));

describe.skipIf(!redisUrl)('bullmq queue (needs TEST_REDIS_URL)', () => {
  function openQueue(options: Omit<BullMqQueueOptions, 'redisUrl'> = {}) {
    const workers: Worker[] = [];
    const queue = createBullMqQueue({
      redisUrl,
      prefix: newPrefix(),
      watchdogMs: 0,
      log: quiet,
      onWorker: (_queue, worker) => workers.push(worker),
      ...options,
    });
    return { queue, workers };
  }

  it('watchdog: replaces a worker that stopped consuming while jobs wait, and only that', async () => {
    const { queue, workers } = openQueue();
    const release = gate();
    const started: string[] = [];
    const processed: string[] = [];
    queue.process('events', async (job) => {
      started.push(job.id);
      if (job.id === 'busy') await release.opened;
      processed.push(job.id);
      return 'done';
    });
    expect(await queue.watchdogTick()).toBe(0); // no progress, but nothing waits
    await queue.add('events', 'event.relay', {}, { jobId: 'busy' });
    await queue.add('events', 'event.relay', {}, { jobId: 'queued' });
    await waitFor(() => started.length === 1, 'the first job to start');
    expect(await queue.watchdogTick()).toBe(0); // it made progress
    expect(await queue.watchdogTick()).toBe(0); // a job waits, but every slot is taken
    release.open();
    await waitFor(() => processed.length === 2, 'both jobs to run');

    const [stuck] = workers as [Worker];
    await stuck.pause(); // also interrupts its blocking wait for the next job
    for (const id of ['1', '2', '3']) await queue.add('events', 'event.relay', {}, { jobId: id });
    expect(await queue.counts('events')).toMatchObject({ waiting: 3 });
    expect(await queue.watchdogTick()).toBe(0); // jobs wait, but it made progress since the last tick
    expect(await queue.watchdogTick()).toBe(1);
    await waitFor(() => processed.length === 5, 'the waiting jobs to run on the new worker');
    expect(workers).toHaveLength(2);
    expect(stuck.closing).toBeDefined();
    await queue.close();
  });

  it('re-delivers the job of a worker killed mid-job to another instance, which completes it once', async () => {
    const prefix = newPrefix();
    const fastStallRecovery = { prefix, lockDurationMs: 1000, stalledIntervalMs: 500 };
    const first = openQueue(fastStallRecovery);
    const started: string[] = [];
    first.queue.process('events', (job) => {
      started.push(job.id);
      return new Promise<Outcome>(() => {}); // never acknowledges
    });
    await first.queue.add('events', 'event.relay', { n: 1 }, { jobId: '42' });
    await waitFor(() => started.length === 1, 'the first worker to take the job');
    await first.workers[0]?.close(true);

    const second = openQueue(fastStallRecovery);
    const completions = new Map<string, number>();
    second.queue.process('events', async (job) => {
      completions.set(job.id, (completions.get(job.id) ?? 0) + 1);
      return 'done';
    });
    await waitFor(
      async () => completions.get('42') === 1 && isIdle(await second.queue.counts('events')),
      'the job to be re-delivered and completed',
    );
    expect([...completions]).toEqual([['42', 1]]);
    expect(await second.queue.counts('events')).toMatchObject({ failed: 0 });
    await Promise.all([first.queue.close(), second.queue.close()]);
  });

  it('logs connection errors instead of crashing, and still closes', async () => {
    const logged: string[] = [];
    const queue = createBullMqQueue({ redisUrl: 'redis://127.0.0.1:1', prefix: newPrefix(), log: (message) => logged.push(message) });
    queue.process('events', async () => 'done');
    await waitFor(() => logged.some((message) => message.includes('error')), 'a logged connection error');
    await queue.close();
  });
});
