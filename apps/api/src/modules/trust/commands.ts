import { AppError, type TrustSettingsBody } from '@praxis/contracts';
import {
  and,
  eq,
  gte,
  loadTrustSettings,
  posts,
  recomputeTrustLevel,
  settings,
  sql,
  threads,
  TRUST_SETTINGS_KEY,
  userStats,
  type TrustSettings,
} from '@praxis/db';
import { checkNewcomerLimits, countLinks, type Viewer } from '@praxis/domain';
import type { Deps } from '../../context.js';
import { writeAudit } from '../moderation/audit.js';

/** Saves the trust thresholds and TL0 limits, then recomputes every member's level against them. */
export async function saveTrustSettings(deps: Deps, viewer: Viewer, input: TrustSettingsBody): Promise<{ changed: number }> {
  const now = deps.clock.now();
  const current = (await loadTrustSettings(deps.db)).settings;
  const next: TrustSettings = {
    thresholds: input.thresholds ?? current.thresholds,
    newcomerLimits: input.newcomerLimits ?? current.newcomerLimits,
  };
  const t = next.thresholds;
  for (const key of ['daysVisited', 'topicsEntered', 'postsRead', 'replies', 'acceptedAnswers'] as const) {
    if (t.tl1[key] > t.tl2[key] || t.tl2[key] > t.tl3[key]) {
      throw new AppError('VALIDATION_FAILED', `Each level must ask at least as much as the one below it (${key})`, {
        [`thresholds.${key}`]: 'must not decrease from TL1 to TL3',
      });
    }
  }
  await deps.db.transaction(async (tx) => {
    await tx
      .insert(settings)
      .values({ key: TRUST_SETTINGS_KEY, value: next, updatedAt: now })
      .onConflictDoUpdate({ target: settings.key, set: { value: next, updatedAt: now } });
    await writeAudit(
      tx,
      {
        actorId: viewer.id,
        action: 'trust.settings',
        subjectType: 'settings',
        subjectId: 0,
        communityId: null,
        details: { previous: current, next },
      },
      now,
    );
  });
  // Every member with activity, in bounded transactions (each level change writes its trust.changed event).
  let changed = 0;
  let after = 0;
  for (;;) {
    const batch = await deps.db
      .select({ userId: userStats.userId })
      .from(userStats)
      .where(sql`${userStats.userId} > ${after}`)
      .orderBy(userStats.userId)
      .limit(200);
    if (batch.length === 0) break;
    for (const { userId } of batch) {
      const moved = await deps.db.transaction((tx) => recomputeTrustLevel(tx, userId, now, next.thresholds));
      if (moved) changed += 1;
    }
    after = batch.at(-1)!.userId;
  }
  return { changed };
}

const startOfUtcDay = (now: Date): Date => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));

/**
 * Refuses a newcomer's (TL0) post over the links/mentions-per-post or posts/topics-per-day limits with
 * NEWCOMER_LIMIT and a message that says what to do. Staff and the community's leaders are exempt.
 */
export async function enforceNewcomerLimits(
  deps: Deps,
  viewer: Viewer,
  communityId: number,
  post: { html: string; mentions: string[]; startsTopic: boolean },
): Promise<void> {
  if (viewer.trustLevel > 0 || viewer.role !== 'member') return;
  const role = viewer.memberships.get(communityId);
  if (role === 'leader' || role === 'moderator') return;
  const { newcomerLimits } = (await loadTrustSettings(deps.db)).settings;
  const since = startOfUtcDay(deps.clock.now());
  const [postsToday] = await deps.db
    .select({ n: sql<number>`count(*)::int` })
    .from(posts)
    .where(and(eq(posts.authorId, viewer.id), gte(posts.createdAt, since)));
  const [topicsToday] = await deps.db
    .select({ n: sql<number>`count(*)::int` })
    .from(threads)
    .where(and(eq(threads.authorId, viewer.id), gte(threads.createdAt, since)));
  const hit = checkNewcomerLimits(
    {
      trustLevel: viewer.trustLevel,
      links: countLinks(post.html),
      mentions: post.mentions.length,
      postsToday: postsToday?.n ?? 0,
      topicsToday: topicsToday?.n ?? 0,
      startsTopic: post.startsTopic,
    },
    newcomerLimits,
  );
  if (hit) throw new AppError('NEWCOMER_LIMIT', hit.message, { body: hit.message });
}
