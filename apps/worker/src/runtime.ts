import { reconcileCounters } from '@praxis/db';
import { queueNames, type Job, type Outcome, type QueueName } from '@praxis/queue';
import type { WorkerDeps } from './deps.js';
import { coalesceKey, createCoalescer } from './coalesce.js';
import { checkDispatchTable, fanOut, subscriptions, type OutboxEvent, type OutboxJob } from './dispatch.js';
import { sendDailyDigests } from './handlers/email/send-digests.js';
import { escalateDueQuestions } from './handlers/experts/escalate.js';
import { rebuildExpertStats } from './handlers/experts/update-stats.js';
import { retrainAllModels } from './experts/training.js';
import { requestDueReviews } from './handlers/guides/freshness.js';
import { reconcileGuideIndex } from './handlers/guides/guide-index.js';
import { eventHandlers } from './handlers/index.js';
import { pruneOutbox } from './handlers/maintenance/prune-outbox.js';
import { recomputeParticipation } from './handlers/participation/recompute-participation.js';
import { recordDeadLetter } from './handlers/maintenance/retry-job.js';
import { reconcileSearchIndex } from './handlers/search/reconcile.js';
import { startOutboxRelay, type RelayLoop } from './relay/outbox-relay.js';

/** No model training in the first minutes after a start. */
const RETRAIN_GRACE_MS = 5 * 60_000;

export interface WorkerOptions {
  relayIdleMs?: number;
  reconcileEveryMs?: number;
  digestEveryMs?: number;
  /**
   * How often the worker looks for ranking models a day old (or missing) to retrain. Default 10 minutes: a look
   * is one small query per community when nothing is due, and a community that reaches enough history (the demo, after a
   * start) gets its model minutes after the grace period instead of an hour later.
   */
  retrainModelsEveryMs?: number;
  /** How often published guides are checked for a passed review date. Default hourly. */
  guideReviewEveryMs?: number;
  /** How often matched questions whose round ran out are escalated. Default 30 s. */
  escalateEveryMs?: number;
  /** How often participation levels are recomputed. Default 1 h. */
  participationEveryMs?: number;
  /** How often the denormalized counters (thread, tag, reply counts, excerpts) are recounted and repaired. Default 1 h. */
  countersEveryMs?: number;
  concurrency?: Partial<Record<QueueName, number>>;
  /** Attempts per handler job and the base of the exponential backoff between them. Default 6 and 2 s (≈ 1 min in all). */
  retry?: { attempts: number; backoffMs: number };
}

export interface RunningWorker {
  relay: RelayLoop;
  /** Stops the relay, lets running jobs finish, then flushes the search snapshot and closes the adapters. */
  stop(): Promise<void>;
}

const defaultConcurrency: Record<QueueName, number> = {
  events: 20,
  search: 4,
  notify: 8,
  matching: 4,
  realtime: 20,
  email: 4,
  maintenance: 1,
};

/**
 * Starts the whole worker on the given adapters: the outbox relay, one consumer per queue, the
 * schedules (search reconciler, daily digest, outbox pruning) and dead-letter recording.
 * Used by the worker process (BullMQ, Meilisearch) and in-process by the embedded mode.
 */
export async function startWorker(deps: WorkerDeps, options: WorkerOptions = {}): Promise<RunningWorker> {
  checkDispatchTable(subscriptions, eventHandlers);
  await deps.search.ensureReady();
  await deps.guideSearch?.ensureReady();
  const reconcileState = { sweepAfterId: 0 };
  const startedAt = deps.clock.now().getTime();

  const scheduled: Record<string, () => Promise<Outcome>> = {
    'search.reconcile': async () => {
      for (let pass = 0; pass < 20; pass++) {
        const result = await reconcileSearchIndex(deps, reconcileState);
        if (result.indexed + result.removed > 0) deps.log.info('search reconciled', { ...result });
        if (!result.more) break;
      }
      return 'done';
    },
    'search.reconcile-guides': async () => {
      const result = await reconcileGuideIndex(deps);
      if (result.indexed + result.removed + result.missing > 0) deps.log.info('guide index reconciled', { ...result });
      return 'done';
    },
    'guides.request-due-reviews': async () => {
      const asked = await requestDueReviews(deps);
      return asked > 0 ? 'done' : 'skipped:nothing due';
    },
    'email.daily-digest': async () => {
      const sent = await sendDailyDigests(deps);
      return sent > 0 ? 'done' : 'skipped:no digest to send';
    },
    'experts.escalate': async () => {
      const moved = await escalateDueQuestions(deps);
      return moved > 0 ? 'done' : 'skipped:nothing due';
    },
    // Imported and seeded answers raise no events: expertise is rebuilt from the posts at start and daily.
    'experts.rebuild-stats': async () => {
      await rebuildExpertStats(deps.db);
      return 'done';
    },
    // Each community's ranking model is retrained on its own history once a day (docs/decisions/2026-12-04-learned-ranking.md).
    // Not in the first minutes after a start: training is CPU work, and a start has enough to do.
    'experts.retrain-models': async () => {
      if (deps.clock.now().getTime() - startedAt < RETRAIN_GRACE_MS) return 'skipped:worker just started';
      const run = await retrainAllModels(deps, deps.clock.now());
      if (run.trained > 0) deps.log.info('ranking models retrained', { ...run });
      return run.trained > 0 ? 'done' : 'skipped:no model due';
    },
    'participation.recompute': async () => {
      const run = await recomputeParticipation(deps);
      if (run.changed > 0) deps.log.info('participation recomputed', { ...run });
      return run.changed > 0 ? 'done' : 'skipped:no level changed';
    },
    'maintenance.reconcile-counters': async () => {
      const repaired = await reconcileCounters(deps.db);
      const total = Object.values(repaired).reduce((a, b) => a + b, 0);
      if (total > 0) deps.log.warn('counters had drifted and were repaired', { ...repaired });
      return total > 0 ? 'done' : 'skipped:no counter drifted';
    },
    'maintenance.prune-outbox': async () => {
      await pruneOutbox(deps.db, deps.clock.now());
      return 'done';
    },
  };

  // A burst of events that each rebuild the same thing (a thread's search document, a member's trust level) costs
  // one rebuild after the burst, not one per event (coalesce.ts says why nothing is lost).
  const coalesce = createCoalescer();
  const runHandler = async (job: Job): Promise<Outcome> => {
    const task = scheduled[job.name];
    if (task) return task();
    const handler = eventHandlers[job.name as keyof typeof eventHandlers];
    if (!handler) throw new Error(`No handler "${job.name}" on queue ${job.queue}`);
    const event = job.data as OutboxEvent;
    const key = coalesceKey(job.name, event);
    return key === null ? handler.handle(event, deps) : coalesce(key, () => handler.handle(event, deps));
  };

  deps.queue.onFinalFailure(async (failed) => {
    // A scheduled run that fails loses nothing: the next run does the same work, so it is not a dead letter.
    if (failed.name in scheduled) {
      deps.log.warn('scheduled job failed; the next run repeats it', { queue: failed.queue, job: failed.name, error: failed.error });
      return;
    }
    deps.log.error('job failed for good', { queue: failed.queue, job: failed.name, jobId: failed.jobId, error: failed.error });
    await recordDeadLetter(deps.db, failed);
  });
  deps.queue.process(
    'events',
    async (job) => {
      const jobs = fanOut(job.data as OutboxJob, eventHandlers, options.retry ?? { attempts: 6, backoffMs: 2000 });
      if (jobs.length === 0) return 'skipped:no handler subscribed';
      await deps.queue.addBulk(jobs);
      return 'done';
    },
    { concurrency: options.concurrency?.events ?? defaultConcurrency.events },
  );
  for (const queue of queueNames.filter((q) => q !== 'events')) {
    deps.queue.process(queue, runHandler, { concurrency: options.concurrency?.[queue] ?? defaultConcurrency[queue] });
  }

  // A schedule also runs once right away: a first start indexes the demo community this way.
  await deps.queue.schedule('maintenance', 'search.reconcile', options.reconcileEveryMs ?? 30_000);
  await deps.queue.schedule('maintenance', 'search.reconcile-guides', options.reconcileEveryMs ?? 30_000);
  await deps.queue.schedule('maintenance', 'guides.request-due-reviews', options.guideReviewEveryMs ?? 3_600_000);
  await deps.queue.schedule('maintenance', 'email.daily-digest', options.digestEveryMs ?? 86_400_000);
  await deps.queue.schedule('maintenance', 'maintenance.prune-outbox', 86_400_000);
  await deps.queue.schedule('matching', 'experts.escalate', options.escalateEveryMs ?? 30_000);
  await deps.queue.schedule('maintenance', 'experts.rebuild-stats', 86_400_000);
  await deps.queue.schedule('maintenance', 'maintenance.reconcile-counters', options.countersEveryMs ?? 3_600_000);
  await deps.queue.schedule('maintenance', 'experts.retrain-models', options.retrainModelsEveryMs ?? 600_000);
  await deps.queue.schedule('maintenance', 'participation.recompute', options.participationEveryMs ?? 3_600_000);

  const relay = startOutboxRelay(deps, options.relayIdleMs === undefined ? {} : { idleMs: options.relayIdleMs });
  return {
    relay,
    async stop() {
      await relay.stop();
      // Let what was handed over finish (an in-process queue forgets what is still waiting when it closes),
      // but never hang a shutdown: BullMQ re-delivers jobs cut short, as stalled, to the next worker.
      await within(10_000, drain(deps.queue));
      if (
        !(await within(
          15_000,
          deps.queue.close().then(() => true),
        ))
      )
        deps.log.warn('the queue did not close within 15 s; unfinished jobs will be re-delivered');
      await deps.search.close();
      await deps.guideSearch?.close();
      await deps.mailer.close();
    },
  };
}

async function drain(queue: WorkerDeps['queue']): Promise<boolean> {
  for (;;) {
    const counts = await Promise.all(queueNames.map((name) => queue.counts(name)));
    if (counts.every((c) => c.waiting + c.active === 0)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The work's result, or false once `ms` have passed (the work goes on in the background). */
async function within(ms: number, work: Promise<boolean>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
