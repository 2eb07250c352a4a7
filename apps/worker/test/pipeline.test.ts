import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deadLetters, eq, isNull, notifications, outboxEvents, sql, threads, watches } from '@praxis/db';
import { createInProcessQueue } from '@praxis/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventHandlers } from '../src/handlers/index.js';
import { checkDispatchTable, subscriptions } from '../src/dispatch.js';
import { eventually, fixtures } from './fixtures.js';
import { createHarness, type Harness } from './harness.js';

describe('dispatch table', () => {
  it('covers every event with existing handlers, each used', () => {
    expect(() => checkDispatchTable(subscriptions, eventHandlers)).not.toThrow();
  });

  it('fails at start on a missing entry, a duplicate, an unknown or an unused handler', () => {
    const { 'post.created': _dropped, ...missing } = subscriptions;
    expect(() => checkDispatchTable(missing, eventHandlers)).toThrow(/"post.created" has no entry/);
    expect(() => checkDispatchTable({ ...subscriptions, 'post.voted': ['realtime.publish', 'realtime.publish'] }, eventHandlers)).toThrow(
      /twice/,
    );
    expect(() => checkDispatchTable({ ...subscriptions, 'post.voted': ['search.nope'] }, eventHandlers)).toThrow(/does not exist/);
    expect(() => checkDispatchTable(subscriptions, { ...eventHandlers, 'orphan.handler': eventHandlers['notify.post'] })).toThrow(
      /not subscribed/,
    );
  });
});

describe('the pipeline, embedded (in-process queue, embedded index)', () => {
  let h: Harness;
  let f: ReturnType<typeof fixtures>;
  beforeAll(async () => {
    h = await createHarness();
    f = fixtures(h.database.db);
    await h.start(createInProcessQueue(), { retry: { attempts: 3, backoffMs: 20 } });
  });
  afterAll(() => h.close());

  it('indexes a new thread and its replies; hidden posts never reach the index', async () => {
    const ada = await f.user('ada');
    const bob = await f.user('bob');
    const brewing = await f.community('brewing', 'public', [ada.id, bob.id]);
    const { thread } = await f.thread(
      brewing.id,
      ada.id,
      'Why does my stout taste sour after fermentation?',
      'Two weeks in and it tastes like vinegar.',
    );
    await f.reply(thread.id, brewing.id, bob.id, 'Probably acetobacter: check your airlock and sanitation.');
    const found = await eventually(
      async () => {
        const result = await h.search.search({ q: 'acetobacter', readableCommunityIds: [brewing.id], limit: 5, offset: 0 });
        return result.hits.find((hit) => hit.id === thread.id);
      },
      15_000,
      'the reply to be searchable',
    );
    expect(found.snippetHtml).toContain('<mark>');
    const [stamped] = await h.database.db.select().from(threads).where(eq(threads.id, thread.id));
    expect(stamped?.indexedAt).not.toBeNull();
    expect(stamped?.searchVersion).toBeGreaterThan(0);
  });

  it('notifies the thread author of a reply and a mentioned member, once each, with realtime messages', async () => {
    const asker = await f.user('asker1');
    const helper = await f.user('helper1');
    const watcher = await f.user('watcher1');
    const club = await f.community('club', 'public', [asker.id, helper.id, watcher.id]);
    const { thread } = await f.thread(club.id, asker.id, 'How long should I cold crash a lager?', 'Looking for rough numbers.');
    await h.database.db.insert(watches).values({ userId: watcher.id, targetType: 'thread', targetId: thread.id, level: 'watching' });
    const reply = await f.reply(thread.id, club.id, helper.id, 'Two days is usually enough, @asker1. @watcher1 did a test last year.');
    const rows = await eventually(
      async () => {
        const all = await h.database.db.select().from(notifications).where(eq(notifications.threadId, thread.id));
        return all.length >= 2 ? all : null;
      },
      15_000,
      'notifications',
    );
    expect(rows.map((n) => [n.userId, n.kind]).sort()).toEqual(
      [
        [asker.id, 'mention'],
        [watcher.id, 'mention'],
      ].sort(),
    );
    expect(rows.every((n) => n.postId === reply.id && n.actorId === helper.id)).toBe(true);
    const pushed = await eventually(
      async () =>
        h.messages.filter((m) => m.event === 'notification.created' && (m.room === `user:${asker.id}` || m.room === `user:${watcher.id}`))
          .length === 2 || null,
      15_000,
      'pushes',
    );
    expect(pushed).toBe(true);
    // The live event says what changed: which post, and its number (an open page fetches the posts after its last).
    expect(h.messages.find((m) => m.room === `thread:${thread.id}` && m.event === 'post.created')?.data).toEqual({
      threadId: thread.id,
      postId: reply.id,
      number: reply.number,
      postCount: reply.number,
    });
    // The asker has never been seen: away, so emailed (emailAwayMs is 0 here).
    const mail = await eventually(
      async () =>
        readdirSync(h.mailDir).find(
          (name) => name.endsWith('.eml') && readFileSync(join(h.mailDir, name), 'utf8').includes('asker1@example.test'),
        ),
      15_000,
      'an email',
    );
    const unfolded = readFileSync(join(h.mailDir, mail), 'utf8').replace(/\r?\n[ \t]+/g, ' ');
    expect(unfolded).toMatch(/List-Unsubscribe: <http:\/\/localhost:3000\/api\/v1\/email\/unsubscribe\?token=\w+&kind=mention>/);
  });

  it('an edit that adds a mention notifies that person once, and nobody already notified about the post', async () => {
    const author = await f.user('edit_author');
    const replier = await f.user('edit_replier');
    const late = await f.user('edit_late');
    const c = await f.community('edits', 'public', [author.id, replier.id, late.id]);
    const { thread } = await f.thread(c.id, author.id, 'A thread whose reply gets edited', 'Body');
    const post = await f.reply(thread.id, c.id, replier.id, 'First version, no mentions.');
    await eventually(
      async () => (await h.database.db.select().from(notifications).where(eq(notifications.threadId, thread.id))).length === 1 || null,
      15_000,
      'the reply notification',
    );
    await f.edit(post.id, thread.id, replier.id, 'Second version: @edit_late and @edit_author should see this.');
    await f.edit(post.id, thread.id, replier.id, 'Third version: @edit_late again.');
    const rows = await eventually(
      async () => {
        const all = await h.database.db.select().from(notifications).where(eq(notifications.threadId, thread.id));
        return all.length === 2 ? all : null;
      },
      15_000,
      'the mention from the edit',
    );
    await eventually(
      async () => (await h.database.db.select().from(outboxEvents).where(isNull(outboxEvents.publishedAt))).length === 0 || null,
      15_000,
      'outbox drained',
    );
    const settled = await h.database.db.select().from(notifications).where(eq(notifications.threadId, thread.id));
    expect(settled.map((n) => [n.userId, n.kind]).sort()).toEqual(
      [
        [author.id, 'reply_to_thread'],
        [late.id, 'mention'],
      ].sort(),
    );
    expect(rows).toHaveLength(2);
  });

  it('never notifies a mentioned non-member of a private community (permission re-check before writing)', async () => {
    const insider = await f.user('insider');
    const outsider = await f.user('outsider');
    const secret = await f.community('secret', 'private', [insider.id]);
    const { thread } = await f.thread(secret.id, insider.id, 'Private recipe question for members', 'Hey @outsider, what do you think?');
    // Wait until the thread was processed (indexed), then check no notification exists for the outsider.
    await eventually(
      async () => (await h.database.db.select().from(threads).where(eq(threads.id, thread.id)))[0]?.indexedAt,
      15_000,
      'processing',
    );
    await eventually(
      async () => (await h.database.db.select().from(outboxEvents).where(isNull(outboxEvents.publishedAt))).length === 0,
      15_000,
      'outbox drained',
    );
    const rows = await h.database.db.select().from(notifications).where(eq(notifications.threadId, thread.id));
    expect(rows.filter((n) => n.userId === outsider.id)).toEqual([]);
    const found = await h.search.search({ q: 'recipe', readableCommunityIds: [1, 2], limit: 10, offset: 0 });
    expect(found.hits.map((hit) => hit.id)).not.toContain(thread.id);
  });

  it('re-running a handler for the same event writes nothing twice', async () => {
    const a = await f.user('idem_a');
    const b = await f.user('idem_b');
    const c = await f.community('idem', 'public', [a.id, b.id]);
    const { thread } = await f.thread(c.id, a.id, 'Idempotency check for notifications', 'Body text.');
    await f.reply(thread.id, c.id, b.id, 'A reply that notifies the author.');
    await eventually(
      async () => (await h.database.db.select().from(notifications).where(eq(notifications.threadId, thread.id))).length === 1 || null,
      15_000,
      'one notification',
    );
    const [event] = await h.database.db
      .select()
      .from(outboxEvents)
      .where(sql`${outboxEvents.type} = 'post.created' and ${outboxEvents.aggregateId} = ${thread.id}`);
    const job = {
      id: event!.id,
      type: event!.type,
      aggregateId: event!.aggregateId,
      payload: event!.payload,
      actorId: event!.actorId,
      createdAt: event!.createdAt.toISOString(),
    };
    const outcome = await eventHandlers['notify.post'].handle(job as never, h.deps);
    expect(outcome).toBe('skipped:nobody to notify');
    expect(await h.database.db.select().from(notifications).where(eq(notifications.threadId, thread.id))).toHaveLength(1);
  });

  it('records a job that fails every attempt as a dead letter', async () => {
    // A notification event pointing at a notification that does not exist is skipped, not failed;
    // to fail for real, make the mailer throw for this one recipient.
    const original = h.deps.mailer.send;
    const victim = await f.user('bounce');
    const other = await f.user('bouncer');
    const c = await f.community('bounces', 'public', [victim.id, other.id]);
    const { thread } = await f.thread(c.id, victim.id, 'A thread whose reply email bounces', 'Body');
    h.deps.mailer.send = async (message) => {
      if (message.to === 'bounce@example.test') throw new Error('550 mailbox unavailable');
      return original(message);
    };
    try {
      await f.reply(thread.id, c.id, other.id, 'This reply triggers an email that fails.');
      const letter = await eventually(
        async () => (await h.database.db.select().from(deadLetters).where(eq(deadLetters.jobName, 'email.notification')))[0],
        30_000,
        'a dead letter',
      );
      expect(letter.error).toContain('550 mailbox unavailable');
      expect(letter.queue).toBe('email');
      const [n] = await h.database.db.select().from(notifications).where(eq(notifications.threadId, thread.id));
      expect(n?.emailedAt).toBeNull();
    } finally {
      h.deps.mailer.send = original;
    }
  });
});
