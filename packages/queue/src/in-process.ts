import { errorMessage, notifyListeners, warn, type Log } from './log.js';
import type { AddOptions, FailedJob, JobQueue, Processor, QueueCounts, QueueName } from './types.js';

export interface InProcessQueueOptions {
  /**
   * How many finished (completed or finally failed) job ids each queue remembers, so that adding one
   * of them again is ignored: an outbox relay that re-enqueues an already processed event must not
   * re-run it. Default 10 000.
   */
  rememberFinished?: number;
  /** Where errors thrown by onFinalFailure listeners go. Default console.warn. */
  log?: Log;
}

interface PendingJob {
  id: string;
  name: string;
  data: unknown;
  attempt: number;
  maxAttempts: number;
  backoffMs: number;
}

interface QueueState {
  name: QueueName;
  waiting: PendingJob[];
  /** Jobs waiting for their delay or retry backoff, by id. */
  delayed: Map<string, NodeJS.Timeout>;
  active: Set<string>;
  /** Ids that are waiting, delayed or active: adding one of them again is a no-op. */
  pending: Set<string>;
  /** Recently finished ids, oldest first, at most `rememberFinished`. */
  finished: Set<string>;
  failed: number;
  processor?: Processor;
  concurrency: number;
  /** Repeatable jobs by name. */
  schedules: Map<string, NodeJS.Timeout>;
}

type FinalFailureListener = (failed: FailedJob) => void | Promise<void>;

/** The queue of the embedded single-process mode: everything lives in memory and is lost on exit. */
export function createInProcessQueue(options: InProcessQueueOptions = {}): JobQueue {
  const rememberFinished = options.rememberFinished ?? 10_000;
  const log = options.log ?? warn;
  const queues = new Map<QueueName, QueueState>();
  const finalFailureListeners: FinalFailureListener[] = [];
  const runningJobs = new Set<Promise<void>>();
  let scheduledRuns = 0;
  let closing: Promise<void> | undefined;

  function stateOf(queue: QueueName): QueueState {
    let state = queues.get(queue);
    if (!state) {
      state = {
        name: queue,
        waiting: [],
        delayed: new Map(),
        active: new Set(),
        pending: new Set(),
        finished: new Set(),
        failed: 0,
        concurrency: 1,
        schedules: new Map(),
      };
      queues.set(queue, state);
    }
    return state;
  }

  function enqueue(queue: QueueName, name: string, data: unknown, addOptions: AddOptions): void {
    if (closing) throw new Error('The job queue is closed');
    const state = stateOf(queue);
    const { jobId } = addOptions;
    if (state.pending.has(jobId) || state.finished.has(jobId)) return;
    state.pending.add(jobId);
    const job: PendingJob = {
      id: jobId,
      name,
      data,
      attempt: 1,
      maxAttempts: addOptions.attempts ?? 5,
      backoffMs: addOptions.backoffMs ?? 1000,
    };
    const delayMs = addOptions.delayMs ?? 0;
    if (delayMs > 0) {
      delay(state, job, delayMs);
    } else {
      state.waiting.push(job);
      startJobs(state);
    }
  }

  function delay(state: QueueState, job: PendingJob, ms: number): void {
    if (closing) {
      state.pending.delete(job.id);
      return;
    }
    const timer = setTimeout(() => {
      state.delayed.delete(job.id);
      state.waiting.push(job);
      startJobs(state);
    }, ms);
    timer.unref();
    state.delayed.set(job.id, timer);
  }

  function startJobs(state: QueueState): void {
    while (!closing && state.processor && state.active.size < state.concurrency) {
      const job = state.waiting.shift();
      if (!job) return;
      const run = runJob(state, state.processor, job).finally(() => runningJobs.delete(run));
      runningJobs.add(run);
    }
  }

  async function runJob(state: QueueState, processor: Processor, job: PendingJob): Promise<void> {
    state.active.add(job.id);
    try {
      await processor({
        id: job.id,
        queue: state.name,
        name: job.name,
        data: job.data,
        attempt: job.attempt,
        maxAttempts: job.maxAttempts,
      });
      finish(state, job.id);
    } catch (error) {
      if (job.attempt < job.maxAttempts) {
        delay(state, { ...job, attempt: job.attempt + 1 }, job.backoffMs * 2 ** (job.attempt - 1));
      } else {
        finish(state, job.id);
        state.failed += 1;
        const failed = {
          queue: state.name,
          name: job.name,
          jobId: job.id,
          data: job.data,
          error: errorMessage(error),
          attempts: job.attempt,
        };
        await notifyFinalFailure(failed);
      }
    } finally {
      state.active.delete(job.id);
      startJobs(state);
    }
  }

  function finish(state: QueueState, jobId: string): void {
    state.pending.delete(jobId);
    state.finished.add(jobId);
    for (const oldest of state.finished) {
      if (state.finished.size <= rememberFinished) break;
      state.finished.delete(oldest);
    }
  }

  const notifyFinalFailure = (failed: FailedJob) => notifyListeners(finalFailureListeners, failed, log);

  async function closeQueue(): Promise<void> {
    for (const state of queues.values()) {
      for (const timer of state.delayed.values()) clearTimeout(timer);
      for (const timer of state.schedules.values()) clearInterval(timer);
      state.delayed.clear();
      state.schedules.clear();
    }
    // Jobs finishing now start no new ones and schedule no retries, so this set only shrinks.
    await Promise.all(runningJobs);
  }

  return {
    kind: 'in-process',

    async add(queue, name, data, addOptions) {
      enqueue(queue, name, data, addOptions);
    },

    async addBulk(jobs) {
      for (const job of jobs) enqueue(job.queue, job.name, job.data, job.options);
    },

    process(queue, processor, { concurrency = 1 } = {}) {
      const state = stateOf(queue);
      if (state.processor) throw new Error(`Queue ${queue} already has a processor`);
      state.processor = processor;
      state.concurrency = concurrency;
      startJobs(state);
    },

    onFinalFailure(listener) {
      finalFailureListeners.push(listener);
    },

    async schedule(queue, name, everyMs, data = {}) {
      if (closing) throw new Error('The job queue is closed');
      const state = stateOf(queue);
      clearInterval(state.schedules.get(name));
      let lastRunId: string | undefined;
      const enqueueRun = () => {
        // Like a BullMQ job scheduler: no new run while the previous one has not started yet.
        if (lastRunId !== undefined && state.waiting.some((job) => job.id === lastRunId)) return;
        scheduledRuns += 1;
        lastRunId = `repeat:${name}:${scheduledRuns}`;
        // A failed run is not retried: the next run is the retry.
        enqueue(queue, name, data, { jobId: lastRunId, attempts: 1 });
      };
      const timer = setInterval(enqueueRun, everyMs);
      timer.unref();
      state.schedules.set(name, timer);
      enqueueRun();
    },

    async counts(queue): Promise<QueueCounts> {
      const state = stateOf(queue);
      return { waiting: state.waiting.length, active: state.active.size, delayed: state.delayed.size, failed: state.failed };
    },

    close() {
      closing ??= closeQueue();
      return closing;
    },
  };
}
