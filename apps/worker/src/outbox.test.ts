import { appendEvent, createTestDatabase, type Database } from '@praxis/db';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { nextUnpublished, pendingEvents } from './outbox.js';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

it('reports the unpublished outbox events in commit order', async () => {
  expect(await pendingEvents(database.db)).toEqual({ count: 0, oldest: null });
  await database.db.transaction(async (tx) => {
    await appendEvent(tx, 'user.registered', 1, { userId: 1 }, 1);
    await appendEvent(tx, 'member.joined', 7, { communityId: 7, userId: 1 }, 1);
  });
  const pending = await pendingEvents(database.db);
  expect(pending.count).toBe(2);
  expect(pending.oldest).toBeInstanceOf(Date);
  expect((await nextUnpublished(database.db, 10)).map((e) => [e.type, e.aggregate, e.aggregateId])).toEqual([
    ['user.registered', 'user', 1],
    ['member.joined', 'community', 7],
  ]);
});
