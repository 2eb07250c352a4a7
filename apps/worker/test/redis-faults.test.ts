import { randomBytes } from 'node:crypto';
import { count, eq, isNull, notifications, outboxEvents, sql, threads } from '@praxis/db';
import { createBullMqQueue, queueNames } from '@praxis/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, fixtures } from './fixtures.js';
import { createHarness, type Harness } from './harness.js';
import { createTcpProxy } from './tcp-proxy.js';

// Set by `npm test` when Redis is reachable; without it this file is skipped.
const redisUrl = process.env.TEST_REDIS_URL ?? '';
const redis = new URL(redisUrl || 'redis://127.0.0.1:6379');

describe.skipIf(!redisUrl)('BullMQ on the real Redis: Redis goes away while people post, then comes back', () => {
  let h: Harness;
  let proxy: Awaited<ReturnType<typeof createTcpProxy>>;
  beforeAll(async () => {
    proxy = await createTcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) });
    h = await createHarness();
    const queue = createBullMqQueue({
      redisUrl: proxy.url,
      prefix: `praxis-test-${randomBytes(4).toString('hex')}`,
      watchdogMs: 1000,
      lockDurationMs: 2000,
      stalledIntervalMs: 1000,
      log: () => undefined,
    });
    await h.start(queue, { retry: { attempts: 3, backoffMs: 50 } });
  });
  afterAll(async () => {
    await proxy.restore().catch(() => undefined);
    await h.close();
    await proxy.close();
  });

  it('loses nothing and duplicates nothing', async () => {
    const f = fixtures(h.database.db);
    const asker = await f.user('asker');
    const repliers = [await f.user('r1'), await f.user('r2'), await f.user('r3')];
    const club = await f.community('club', 'public', [asker.id, ...repliers.map((r) => r.id)]);
    const { thread } = await f.thread(club.id, asker.id, 'Does Redis going away lose my replies?', 'Let us find out.');
    await f.reply(thread.id, club.id, repliers[0]!.id, 'Before the outage.');
    await eventually(
      async () =>
        (await h.database.db.select({ n: count() }).from(notifications).where(eq(notifications.threadId, thread.id)))[0]!.n === 1 || null,
      20_000,
      'the first notification',
    );
    // Cut only once the first reply went all the way through (a job cut mid-flight is re-delivered later, as stalled).
    await eventually(
      async () => {
        const counts = await Promise.all(queueNames.map((name) => h.deps.queue.counts(name)));
        return h.messages.some((m) => m.event === 'post.created') && counts.every((c) => c.waiting + c.active === 0);
      },
      20_000,
      'the queues to be idle',
    );

    await proxy.cut();
    // People keep posting: the API only writes rows and outbox events; the relay cannot hand them over.
    for (const [i, replier] of repliers.entries()) await f.reply(thread.id, club.id, replier.id, `During the outage, reply ${i}`);
    await new Promise((r) => setTimeout(r, 1500));
    const [stuck] = await h.database.db.select({ n: count() }).from(outboxEvents).where(isNull(outboxEvents.publishedAt));
    expect(stuck!.n).toBeGreaterThanOrEqual(repliers.length);

    await proxy.restore();
    // Each reply notifies the asker once (reply_to_thread); the first replier's second reply is a new post, so a new key.
    const rows = await eventually(
      async () => {
        const all = await h.database.db.select().from(notifications).where(eq(notifications.threadId, thread.id));
        return all.length === 1 + repliers.length ? all : null;
      },
      30_000,
      'every notification after Redis came back',
    );
    expect(new Set(rows.map((n) => n.postId)).size).toBe(rows.length);
    expect(rows.every((n) => n.userId === asker.id && n.kind === 'reply_to_thread')).toBe(true);
    await eventually(
      async () =>
        (await h.database.db.select({ n: count() }).from(outboxEvents).where(isNull(outboxEvents.publishedAt)))[0]!.n === 0 || null,
      30_000,
      'the outbox to drain',
    );
    const indexed = await eventually(
      async () => {
        const [row] = await h.database.db.select().from(threads).where(eq(threads.id, thread.id));
        return row && row.indexedAt && row.indexedAt >= row.updatedAt ? row : null;
      },
      30_000,
      'the thread re-indexed with every reply',
    );
    expect(indexed.id).toBe(thread.id);
    const result = await h.search.search({ q: 'outage', readableCommunityIds: [club.id], limit: 5, offset: 0 });
    expect(result.hits.map((hit) => hit.id)).toEqual([thread.id]);
    // Nothing arrived twice: one realtime message per reply.
    await eventually(
      async () => h.messages.filter((m) => m.event === 'post.created').length >= 1 + repliers.length || null,
      15_000,
      'realtime messages',
    );
    const perPost = new Map<number, number>();
    for (const m of h.messages)
      if (m.event === 'post.created')
        perPost.set((m.data as { postId: number }).postId, (perPost.get((m.data as { postId: number }).postId) ?? 0) + 1);
    expect([...perPost.values()].every((n) => n === 1)).toBe(true);
    // Listed, not counted, so a failure says which job gave up and why.
    expect((await h.database.db.execute(sql`select queue, job_name, error from dead_letters`)).rows).toEqual([]);
  });
});
