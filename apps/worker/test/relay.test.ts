import { appendEvent, createTestDatabase, isNull, outboxEvents, type Database } from '@praxis/db';
import { createInProcessQueue, type JobQueue, type JobToAdd } from '@praxis/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayOutbox } from '../src/relay/outbox-relay.js';

/** A queue that records what it accepted, or fails as a queue that went away (or a relay that died) between claim and enqueue. */
function recordingQueue(fail: () => boolean): { queue: JobQueue; accepted: JobToAdd[] } {
  const accepted: JobToAdd[] = [];
  const inner = createInProcessQueue();
  return {
    accepted,
    queue: {
      ...inner,
      addBulk: async (jobs) => {
        if (fail()) throw new Error('the queue went away');
        accepted.push(...jobs);
      },
    },
  };
}

describe('the outbox relay', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  const append = (count: number) =>
    database.db.transaction(async (tx) => {
      for (let i = 0; i < count; i++) await appendEvent(tx, 'post.voted', 1, { postId: i + 1, threadId: 1, userId: 1, value: 1 }, 1);
    });
  const unpublished = async () => database.db.select().from(outboxEvents).where(isNull(outboxEvents.publishedAt));

  it('loses nothing when the enqueue fails after the claim: the rows wait, unmarked, for the next pass', async () => {
    await append(7);
    let failing = true;
    const { queue, accepted } = recordingQueue(() => failing);
    await expect(relayOutbox({ db: database.db, queue })).rejects.toThrow('the queue went away');
    const waiting = await unpublished();
    expect(waiting).toHaveLength(7);
    expect(waiting.every((row) => row.attempts === 0)).toBe(true);

    failing = false;
    expect(await relayOutbox({ db: database.db, queue })).toBe(7);
    expect(await unpublished()).toHaveLength(0);
    // Oldest first, each once.
    const ids = accepted.map((job) => (job.data as { id: number }).id);
    expect(ids).toEqual(waiting.map((row) => row.id).sort((a, b) => a - b));
    expect(await relayOutbox({ db: database.db, queue })).toBe(0);
  });

  it('claims a batch at a time, in order, and the next pass takes the rest', async () => {
    await append(12);
    const { queue, accepted } = recordingQueue(() => false);
    expect(await relayOutbox({ db: database.db, queue }, 5)).toBe(5);
    expect(await relayOutbox({ db: database.db, queue }, 5)).toBe(5);
    expect(await relayOutbox({ db: database.db, queue }, 5)).toBe(2);
    const ids = accepted.map((job) => (job.data as { id: number }).id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(12);
    expect(await unpublished()).toHaveLength(0);
  });
});
