import type { TrustThresholds, NewcomerLimits } from '@praxis/domain';
import { DEFAULT_NEWCOMER_LIMITS, DEFAULT_TRUST_THRESHOLDS, trustLevelFor } from '@praxis/domain';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { postApproved, threadListedForAll } from './visibility.js';
import { appendEvent } from './outbox.js';
import { flags, posts, settings, threadReads, threads, userStats, users } from './schema.js';

/** The settings row holding trust thresholds and TL0 limits (an admin edits it at /admin/trust). */
export const TRUST_SETTINGS_KEY = 'trust';

export interface TrustSettings {
  thresholds: TrustThresholds;
  newcomerLimits: NewcomerLimits;
}

export const DEFAULT_TRUST_SETTINGS: TrustSettings = { thresholds: DEFAULT_TRUST_THRESHOLDS, newcomerLimits: DEFAULT_NEWCOMER_LIMITS };

/** Saved trust settings over the defaults (a saved value may predate a newer field). */
export async function loadTrustSettings(db: Db): Promise<{ settings: TrustSettings; isDefault: boolean; updatedAt: Date | null }> {
  const [row] = await db.select().from(settings).where(eq(settings.key, TRUST_SETTINGS_KEY)).limit(1);
  if (!row) return { settings: DEFAULT_TRUST_SETTINGS, isDefault: true, updatedAt: null };
  return { settings: trustSettingsFrom(row.value), isDefault: false, updatedAt: row.updatedAt };
}

/** The trust settings a saved settings value (or none) means: what it sets, over the defaults. */
export function trustSettingsFrom(value: unknown): TrustSettings {
  const saved = (value ?? {}) as Partial<TrustSettings>;
  const t = saved.thresholds ?? ({} as Partial<TrustThresholds>);
  return {
    thresholds: {
      tl1: { ...DEFAULT_TRUST_THRESHOLDS.tl1, ...t.tl1 },
      tl2: { ...DEFAULT_TRUST_THRESHOLDS.tl2, ...t.tl2 },
      tl3: { ...DEFAULT_TRUST_THRESHOLDS.tl3, ...t.tl3 },
    },
    newcomerLimits: { ...DEFAULT_NEWCOMER_LIMITS, ...saved.newcomerLimits },
  };
}

/** Makes sure a member has a user_stats row. */
export async function ensureUserStats(db: Db, userId: number): Promise<void> {
  await db.insert(userStats).values({ userId }).onConflictDoNothing();
}

/**
 * Recounts what the database knows about a member's contributions (replies, threads started, accepted
 * answers, posts of theirs upheld after a flag) — rebuilt, never incremented, so repeated events change nothing.
 */
export async function recountContributions(db: Db, userId: number, now: Date): Promise<void> {
  await ensureUserStats(db, userId);
  await db
    .update(userStats)
    .set({
      replies: sql`(select count(*)::int from ${posts} where ${posts.authorId} = ${userId} and ${posts.number} > 1 and ${postApproved})`,
      topicsCreated: sql`(select count(*)::int from ${threads} where ${threads.authorId} = ${userId} and ${threadListedForAll})`,
      acceptedAnswers: sql`(select count(*)::int from ${threads} join ${posts} on ${posts.id} = ${threads.solutionPostId} where ${posts.authorId} = ${userId} and ${threads.deletedAt} is null)`,
      flagsUpheld: sql`(select count(distinct ${flags.postId})::int from ${flags} join ${posts} on ${posts.id} = ${flags.postId} where ${posts.authorId} = ${userId} and ${flags.status} = 'upheld')`,
      updatedAt: now,
    })
    .where(eq(userStats.userId, userId));
}

/**
 * Recomputes a member's trust level from their stats and writes it with a `trust.changed` event when it
 * moved. Pinned levels (trust_locked) and hand-granted TL4 are left alone. Call it inside a transaction.
 */
export async function recomputeTrustLevel(
  db: Db,
  userId: number,
  now: Date,
  thresholds?: TrustThresholds,
): Promise<{ from: number; to: number } | null> {
  const [row] = await db
    .select({ level: users.trustLevel, stats: userStats })
    .from(users)
    .leftJoin(userStats, eq(userStats.userId, users.id))
    .where(eq(users.id, userId))
    .limit(1);
  if (!row) return null;
  const stats = row.stats;
  if (stats?.trustLocked || row.level > 3) return null;
  const computed = trustLevelFor(
    {
      daysVisited: stats?.daysVisited ?? 0,
      topicsEntered: stats?.topicsEntered ?? 0,
      postsRead: stats?.postsRead ?? 0,
      replies: stats?.replies ?? 0,
      acceptedAnswers: stats?.acceptedAnswers ?? 0,
      flagsUpheld: stats?.flagsUpheld ?? 0,
    },
    thresholds ?? (await loadTrustSettings(db)).settings.thresholds,
  );
  if (stats) await db.update(userStats).set({ trustComputedAt: now }).where(eq(userStats.userId, userId));
  if (computed === row.level) return null;
  await db.update(users).set({ trustLevel: computed }).where(eq(users.id, userId));
  await appendEvent(db, 'trust.changed', userId, { userId, from: row.level, to: computed }, null);
  return { from: row.level, to: computed };
}

/** Counts one visit per UTC day; returns whether this was the first visit of the day. */
export async function countVisit(db: Db, userId: number, now: Date): Promise<boolean> {
  const day = now.toISOString().slice(0, 10);
  await ensureUserStats(db, userId);
  const updated = await db
    .update(userStats)
    .set({ daysVisited: sql`${userStats.daysVisited} + 1`, lastVisitDay: day, updatedAt: now })
    .where(and(eq(userStats.userId, userId), sql`${userStats.lastVisitDay} is distinct from ${day}`))
    .returning({ userId: userStats.userId });
  return updated.length > 0;
}

/**
 * Records that a member was shown a thread up to post `highestNumber`: a new thread counts as a topic
 * entered, and only posts beyond what they had already been shown count as read. Returns whether the stats changed.
 */
export async function recordThreadRead(db: Db, userId: number, threadId: number, highestNumber: number, now: Date): Promise<boolean> {
  const rows = await db.execute<{ previous: number | null }>(sql`
    with prev as (select ${threadReads.lastReadNumber} as n from ${threadReads} where ${threadReads.userId} = ${userId} and ${threadReads.threadId} = ${threadId})
    insert into ${threadReads} (user_id, thread_id, last_read_number, updated_at) values (${userId}, ${threadId}, ${highestNumber}, ${now})
    on conflict (user_id, thread_id) do update set last_read_number = excluded.last_read_number, updated_at = excluded.updated_at
      where ${threadReads.lastReadNumber} < excluded.last_read_number
    returning (select n from prev) as previous`);
  const list = (Array.isArray(rows) ? rows : (rows as { rows: { previous: number | null }[] }).rows) as { previous: number | null }[];
  const row = list[0];
  if (!row) return false;
  const previous = row.previous === null || row.previous === undefined ? null : Number(row.previous);
  await ensureUserStats(db, userId);
  await db
    .update(userStats)
    .set({
      postsRead: sql`${userStats.postsRead} + ${highestNumber - (previous ?? 0)}`,
      topicsEntered: sql`${userStats.topicsEntered} + ${previous === null ? 1 : 0}`,
      updatedAt: now,
    })
    .where(eq(userStats.userId, userId));
  return true;
}
