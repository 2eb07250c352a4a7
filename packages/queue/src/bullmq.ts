import { createRequire } from 'node:module';
import type { Queue, Worker, Job as BullMqJob, JobsOptions } from 'bullmq';
import { errorMessage, notifyListeners, rateLimited, warn, type Log } from './log.js';
import type { AddOptions, FailedJob, JobQueue, JobToAdd, Outcome, Processor, QueueCounts, QueueName } from './types.js';

export interface BullMqQueueOptions {
  redisUrl: string;
  /** BullMQ's key prefix (never ioredis' keyPrefix, which BullMQ rejects). Default 'praxis'. */
  prefix?: string;
  /** Connection errors (rate-limited) and watchdog restarts go here. Default console.warn. */
  log?: Log;
  /** How often the watchdog looks for stuck workers; 0 turns the timer off (watchdogTick() still works). Default 10 000. */
  watchdogMs?: number;
  /** How long a worker's lock on a running job lasts unless renewed; a job whose lock lapsed is re-delivered. Default 30 000. */
  lockDurationMs?: number;
  /** How often workers look for jobs whose lock lapsed. Default 30 000. */
  stalledIntervalMs?: number;
  /** Called for every Worker created, including the watchdog's replacements: for instrumentation and tests. */
  onWorker?: (queue: QueueName, worker: Worker) => void;
}

export type BullMqJobQueue = JobQueue & {
  /** One watchdog pass: restarts the workers that look stuck and returns how many it restarted. */
  watchdogTick(): Promise<number>;
};

/** What the watchdog knows about one Worker. */
interface WorkerActivity {
  /** Processor calls in flight. */
  running: number;
  /** Jobs started plus jobs finished; unchanged between two ticks means no progress. */
  progress: number;
  progressAtLastTick: number;
}

interface ConsumerSpec {
  queue: QueueName;
  processor: Processor;
  concurrency: number;
}

interface Consumer extends ConsumerSpec {
  worker: Worker;
  activity: WorkerActivity;
}

/** Completed jobs are kept an hour (bounded), so re-adding a recently completed job id is ignored. */
const keepCompleted = { age: 60 * 60, count: 10_000 };

/** BullMQ rejects custom ids that are integers or contain ':', and port ids are both ('42', '42:search.index'). */
const toBullMqId = (jobId: string): string => `job-${encodeURIComponent(jobId)}`;
const fromBullMqId = (id: string | undefined): string =>
  id?.startsWith('job-') ? decodeURIComponent(id.slice('job-'.length)) : String(id);

function jobOptions(options: AddOptions): JobsOptions {
  return {
    jobId: toBullMqId(options.jobId),
    delay: options.delayMs ?? 0,
    attempts: options.attempts ?? 5,
    backoff: { type: 'exponential', delay: options.backoffMs ?? 1000 },
    removeOnComplete: keepCompleted,
    // Failed jobs stay for inspection.
    removeOnFail: false,
  };
}

const require = createRequire(import.meta.url);

/**
 * BullMQ and ioredis are loaded when a BullMQ queue is created, not when this package is imported: the embedded mode
 * (no Redis) imports the package for its in-process queue and would otherwise carry them (≈ 24 MB of PSS).
 */
function loadBullMq() {
  const { Queue, Worker } = require('bullmq') as typeof import('bullmq');
  const { Redis } = require('ioredis') as typeof import('ioredis');
  return { Queue, Worker, Redis };
}

export function createBullMqQueue(options: BullMqQueueOptions): BullMqJobQueue {
  const bullmq = loadBullMq();
  const prefix = options.prefix ?? 'praxis';
  const log = options.log ?? warn;
  const logError = rateLimited(log);
  // Workers duplicate this one for their blocking connections, which is why it needs
  // maxRetriesPerRequest: null (their commands wait out an outage).
  const connection = new bullmq.Redis(options.redisUrl, { maxRetriesPerRequest: null });
  connection.on('error', (error) => logError('queue: redis connection error', { error: errorMessage(error) }));
  // Producers fail fast instead: an add during an outage rejects after one failed reconnect, so the
  // caller (the outbox relay) rolls back and tries again later rather than waiting indefinitely.
  const producer = new bullmq.Redis(options.redisUrl, { maxRetriesPerRequest: 1 });
  producer.on('error', (error) => logError('queue: redis connection error', { error: errorMessage(error) }));

  const queues = new Map<QueueName, Queue>();
  const consumers = new Map<QueueName, Consumer>();
  const finalFailureListeners: Array<(failed: FailedJob) => void | Promise<void>> = [];
  const notifications = new Set<Promise<void>>();
  let closing: Promise<void> | undefined;

  function queueFor(name: QueueName): Queue {
    if (closing) throw new Error('The job queue is closed');
    let queue = queues.get(name);
    if (!queue) {
      queue = new bullmq.Queue(name, { connection: producer, prefix });
      queue.on('error', (error) => logError('queue: redis error', { queue: name, error: errorMessage(error) }));
      queues.set(name, queue);
    }
    return queue;
  }

  function startWorker({ queue, processor, concurrency }: ConsumerSpec): { worker: Worker; activity: WorkerActivity } {
    const activity: WorkerActivity = { running: 0, progress: 0, progressAtLastTick: 0 };
    const processJob = async (job: BullMqJob): Promise<Outcome> => {
      activity.running += 1;
      activity.progress += 1;
      try {
        const attempt = job.attemptsMade + 1;
        return await processor({
          id: fromBullMqId(job.id),
          queue,
          name: job.name,
          data: job.data,
          attempt,
          maxAttempts: job.opts.attempts ?? 1,
        });
      } finally {
        activity.running -= 1;
        activity.progress += 1;
      }
    };
    const worker = new bullmq.Worker(queue, processJob, {
      connection,
      prefix,
      concurrency,
      ...(options.lockDurationMs !== undefined && { lockDuration: options.lockDurationMs }),
      ...(options.stalledIntervalMs !== undefined && { stalledInterval: options.stalledIntervalMs }),
    });
    worker.on('error', (error) => logError('queue: worker error', { queue, error: errorMessage(error) }));
    worker.on('failed', (job, error) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
        const failed = {
          queue,
          name: job.name,
          jobId: fromBullMqId(job.id),
          data: job.data,
          error: error.message,
          attempts: job.attemptsMade,
        };
        const notification = notifyFinalFailure(failed).finally(() => notifications.delete(notification));
        notifications.add(notification);
      }
    });
    options.onWorker?.(queue, worker);
    return { worker, activity };
  }

  const notifyFinalFailure = (failed: FailedJob) => notifyListeners(finalFailureListeners, failed, log);

  /**
   * A BullMQ Worker can silently stop consuming after Redis restarts. A worker is taken for stuck
   * when jobs are waiting, it has free slots, and it has neither started nor finished a job since
   * the previous tick; it is then replaced by a new one with the same processor.
   */
  async function watchdogTick(): Promise<number> {
    let restarted = 0;
    for (const consumer of consumers.values()) {
      if (closing) break;
      const { worker, activity } = consumer;
      const progressed = activity.progress !== activity.progressAtLastTick;
      activity.progressAtLastTick = activity.progress;
      if (progressed || activity.running >= consumer.concurrency) continue;
      const waiting = await queueFor(consumer.queue).getWaitingCount();
      if (waiting === 0 || closing || consumer.worker !== worker) continue;
      log('queue: worker made no progress while jobs wait; restarting it', { queue: consumer.queue, waiting });
      await worker
        .close(true)
        .catch((error: unknown) => log('queue: closing a stuck worker failed', { queue: consumer.queue, error: errorMessage(error) }));
      if (closing) break;
      Object.assign(consumer, startWorker(consumer));
      restarted += 1;
    }
    return restarted;
  }

  let tickInFlight: Promise<unknown> | undefined;
  const watchdogMs = options.watchdogMs ?? 10_000;
  const watchdog =
    watchdogMs > 0
      ? setInterval(() => {
          tickInFlight ??= watchdogTick()
            .catch((error: unknown) => logError('queue: watchdog tick failed', { error: errorMessage(error) }))
            .finally(() => (tickInFlight = undefined));
        }, watchdogMs)
      : undefined;
  watchdog?.unref();

  async function closeAll(): Promise<void> {
    clearInterval(watchdog);
    // A graceful close (which waits for running jobs) never returns while Redis is unreachable, and
    // those jobs could not be acknowledged anyway: they will be re-delivered as stalled.
    const force = connection.status !== 'ready';
    await Promise.all([...consumers.values()].map((consumer) => consumer.worker.close(force)));
    await Promise.all(notifications);
    await Promise.all([...queues.values()].map((queue) => queue.close()));
    for (const client of [connection, producer]) {
      if (client.status === 'ready') await client.quit();
      else client.disconnect();
    }
  }

  return {
    kind: 'bullmq',

    async add(queue, name, data, addOptions) {
      await queueFor(queue).add(name, data, jobOptions(addOptions));
    },

    async addBulk(jobs) {
      const byQueue = new Map<QueueName, JobToAdd[]>();
      for (const job of jobs) {
        const queueJobs = byQueue.get(job.queue) ?? [];
        queueJobs.push(job);
        byQueue.set(job.queue, queueJobs);
      }
      await Promise.all(
        [...byQueue].map(([queue, queueJobs]) =>
          queueFor(queue).addBulk(queueJobs.map((job) => ({ name: job.name, data: job.data, opts: jobOptions(job.options) }))),
        ),
      );
    },

    process(queue, processor, { concurrency = 1 } = {}) {
      if (closing) throw new Error('The job queue is closed');
      if (consumers.has(queue)) throw new Error(`Queue ${queue} already has a processor`);
      const spec = { queue, processor, concurrency };
      consumers.set(queue, { ...spec, ...startWorker(spec) });
    },

    onFinalFailure(listener) {
      finalFailureListeners.push(listener);
    },

    async schedule(queue, name, everyMs, data = {}) {
      // A failed run is not retried: the next run is the retry.
      const opts = { attempts: 1, removeOnComplete: keepCompleted, removeOnFail: false };
      await queueFor(queue).upsertJobScheduler(name, { every: everyMs }, { name, data, opts });
    },

    async counts(queue): Promise<QueueCounts> {
      const counts = await queueFor(queue).getJobCounts('waiting', 'active', 'delayed', 'failed');
      return { waiting: counts.waiting ?? 0, active: counts.active ?? 0, delayed: counts.delayed ?? 0, failed: counts.failed ?? 0 };
    },

    close() {
      closing ??= closeAll();
      return closing;
    },

    watchdogTick,
  };
}
