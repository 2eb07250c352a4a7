import type { Outcome } from '@praxis/queue';
import type { HandlerId, OutboxJob } from './dispatch.js';

/**
 * Which handler jobs do the same work whatever event they came from: two jobs with the same key rebuild the same
 * thing from the database (a thread's search document, a member's contribution counts and trust level, a member's
 * expertise in one thread's community), so one run that starts after both events were committed does both.
 * Null: the job's work is its own (every notification, every realtime message) and is never coalesced.
 */
export function coalesceKey(handler: string, event: Pick<OutboxJob, 'type' | 'payload'>): string | null {
  const payload = (event.payload ?? {}) as Record<string, unknown>;
  const id = (name: string) => (typeof payload[name] === 'number' ? (payload[name] as number) : null);
  switch (handler as HandlerId) {
    // Rebuilt from the thread's visible posts, whichever event touched it.
    case 'search.index-thread':
      return id('threadId') === null ? null : `search:${id('threadId')}`;
    // A new post or thread: its author's contributions recounted and trust level recomputed (the same for each of them).
    case 'trust.update':
      return (event.type === 'post.created' || event.type === 'thread.created') && id('authorId') !== null
        ? `trust:${id('authorId')}`
        : null;
    // A new answer: its author's expertise in the thread's community, rebuilt from their posts.
    case 'experts.update-stats':
      return event.type === 'post.created' && id('authorId') !== null && id('threadId') !== null
        ? `expertise:${id('authorId')}:${id('threadId')}`
        : null;
    default:
      return null;
  }
}

export type Coalesce = (key: string, work: () => Promise<Outcome>) => Promise<Outcome>;

/**
 * Runs keyed work so that a burst of jobs with one key costs at most two runs at a time: the one running and one
 * queued behind it. A job that finds a run already queued (not started yet) returns at once: that run starts after
 * this job's event was committed (the relay only moves committed rows), so it reads everything the job would have.
 * The job that queued the run waits for it and fails with it, so a failure is retried (and the retry rebuilds the
 * whole key again); a process that dies loses nothing either: the queuing job was still running (BullMQ re-delivers
 * it), and the reconcilers repair what an in-process queue forgets. Per process: other workers run their own.
 */
export function createCoalescer(): Coalesce {
  const keys = new Map<string, { tail: Promise<void>; queued: boolean; jobs: number }>();
  return (key, work) => {
    let state = keys.get(key);
    if (state?.queued) return Promise.resolve('skipped:coalesced into the next run for the same key');
    if (!state) {
      state = { tail: Promise.resolve(), queued: false, jobs: 0 };
      keys.set(key, state);
    }
    const own = state;
    own.queued = true;
    own.jobs += 1;
    const result = own.tail.then(() => {
      own.queued = false;
      return work();
    });
    own.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result.finally(() => {
      own.jobs -= 1;
      if (own.jobs === 0 && keys.get(key) === own) keys.delete(key);
    });
  };
}
