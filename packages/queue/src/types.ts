/** Queues are named by workload; each has its own concurrency. */
export const queueNames = ['events', 'search', 'notify', 'matching', 'realtime', 'email', 'maintenance'] as const;
export type QueueName = (typeof queueNames)[number];

export interface Job<T = unknown> {
  /** Deterministic: `<outboxId>` on 'events', `<outboxId>:<handler>` on handler queues, or a semantic key. */
  id: string;
  queue: QueueName;
  /** The handler id, e.g. 'search.index-thread'. */
  name: string;
  data: T;
  /** 1 on the first run. */
  attempt: number;
  maxAttempts: number;
}

/** What a processor returns; it throws only on real failures (those are retried). */
export type Outcome = 'done' | `skipped:${string}`;
export type Processor = (job: Job) => Promise<Outcome>;

export interface AddOptions {
  /** Adding a job whose id is already waiting, delayed or active is a no-op. */
  jobId: string;
  delayMs?: number;
  /** Default 5. */
  attempts?: number;
  /** Base of the exponential backoff: retry n waits backoffMs·2^(n-1). Default 1000. */
  backoffMs?: number;
}

export interface JobToAdd {
  queue: QueueName;
  name: string;
  data: unknown;
  options: AddOptions;
}

/** A job that failed its last attempt. */
export interface FailedJob {
  queue: QueueName;
  name: string;
  jobId: string;
  data: unknown;
  error: string;
  attempts: number;
}

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/**
 * The port every job goes through. Two adapters pass one contract suite: BullMQ on Redis and an
 * in-process queue for the embedded mode.
 */
export interface JobQueue {
  readonly kind: 'in-process' | 'bullmq';
  add(queue: QueueName, name: string, data: unknown, options: AddOptions): Promise<void>;
  addBulk(jobs: JobToAdd[]): Promise<void>;
  /** Starts consuming a queue. One processor per queue; it dispatches on job.name itself. */
  process(queue: QueueName, processor: Processor, options?: { concurrency?: number }): void;
  /** Called once per job that exhausted its attempts (after the last failure). */
  onFinalFailure(listener: (failed: FailedJob) => void | Promise<void>): void;
  /** A repeatable job: `name` runs on `queue` every `everyMs`; calling again with the same name replaces it. */
  schedule(queue: QueueName, name: string, everyMs: number, data?: unknown): Promise<void>;
  counts(queue: QueueName): Promise<QueueCounts>;
  /** Stops taking new jobs, waits for the running ones, then releases connections. */
  close(): Promise<void>;
}
