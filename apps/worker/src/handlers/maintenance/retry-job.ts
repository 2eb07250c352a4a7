import { deadLetters, eq, type Db } from '@praxis/db';
import { queueNames, type JobQueue, type QueueName } from '@praxis/queue';
import { defineHandler } from '../../dispatch.js';

/** Records a job that exhausted its retries, so an admin can see it and retry it. */
export async function recordDeadLetter(
  db: Db,
  failed: { queue: QueueName; name: string; jobId: string; data: unknown; error: string; attempts: number },
): Promise<void> {
  await db
    .insert(deadLetters)
    .values({
      queue: failed.queue,
      jobName: failed.name,
      jobId: failed.jobId,
      data: failed.data ?? null,
      error: failed.error.slice(0, 4000),
      attempts: failed.attempts,
    })
    .onConflictDoUpdate({
      target: [deadLetters.queue, deadLetters.jobId],
      set: { error: failed.error.slice(0, 4000), attempts: failed.attempts, failedAt: new Date(), retriedAt: null },
    });
}

/** Re-enqueues a dead letter under a new job id (the old one may still be kept by the queue as failed). */
export async function retryDeadLetter(deps: { db: Db; queue: JobQueue }, deadLetterId: number): Promise<boolean> {
  const [letter] = await deps.db.select().from(deadLetters).where(eq(deadLetters.id, deadLetterId));
  if (!letter || letter.retriedAt !== null || !queueNames.includes(letter.queue as QueueName)) return false;
  const retry = letter.retryCount + 1;
  await deps.queue.add(letter.queue as QueueName, letter.jobName, letter.data, { jobId: `${letter.jobId}:retry${retry}` });
  await deps.db.update(deadLetters).set({ retriedAt: new Date(), retryCount: retry }).where(eq(deadLetters.id, letter.id));
  return true;
}

export const retryJob = defineHandler('maintenance.retry-job', {
  queue: 'maintenance',
  async handle(event, deps) {
    const { deadLetterId } = event.payload;
    return (await retryDeadLetter(deps, deadLetterId)) ? 'done' : 'skipped:already retried or unknown';
  },
});
