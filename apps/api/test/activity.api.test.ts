import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, outboxEvents, users, userStats } from '@praxis/db';
import { buildTestApp, signUp, type Session, type TestApp } from './helper.js';

// "Last seen" and the day's visit are noted by requests and written by the recorder's flush: reads never write.
let now = new Date('2026-12-04T10:00:00Z');
const clock = { now: () => now };
let t: TestApp;
let member: Session;

beforeAll(async () => {
  t = await buildTestApp({}, { clock });
  member = await signUp(t.app);
  await t.app.activity.flush();
});
afterAll(() => t?.close());

const lastSeen = async () => (await t.database.db.select().from(users).where(eq(users.id, member.id)))[0]!.lastSeenAt;
const visits = async () => (await t.database.db.select().from(userStats).where(eq(userStats.userId, member.id)))[0]?.daysVisited ?? 0;
const activityEvents = async () =>
  (
    await t.database.db
      .select()
      .from(outboxEvents)
      .where(and(eq(outboxEvents.type, 'user.activity-recorded'), eq(outboxEvents.aggregateId, member.id)))
  ).length;
const read = () => member.inject({ method: 'GET', url: '/api/v1/me' });

describe('activity of signed-in readers', () => {
  it('is written by the flush, not by the read; once a minute; a new day counts a visit with an event for the worker', async () => {
    now = new Date('2026-12-05T09:00:00Z');
    const [seenBefore, visitsBefore, eventsBefore] = [await lastSeen(), await visits(), await activityEvents()];
    expect((await read()).statusCode).toBe(200);
    expect(await lastSeen()).toEqual(seenBefore); // the read wrote nothing
    await t.app.activity.flush();
    expect(await lastSeen()).toEqual(now);
    expect(await visits()).toBe(visitsBefore + 1);
    expect(await activityEvents()).toBe(eventsBefore + 1);

    const firstSeen = now;
    now = new Date('2026-12-05T09:00:30Z'); // within the minute: nothing to write
    await read();
    await t.app.activity.flush();
    expect(await lastSeen()).toEqual(firstSeen);

    now = new Date('2026-12-05T09:02:00Z'); // a minute later, same day: last seen moves, no new visit
    await read();
    await t.app.activity.flush();
    expect(await lastSeen()).toEqual(now);
    expect(await visits()).toBe(visitsBefore + 1);
    expect(await activityEvents()).toBe(eventsBefore + 1);
  });
});
