import {
  and,
  communities,
  desc,
  emailDigests,
  eq,
  gt,
  inArray,
  loadViewers,
  ne,
  threadRef,
  threads,
  users,
  watches,
  threadListedForAll,
} from '@praxis/db';
import { can } from '@praxis/domain';
import type { WorkerDeps } from '../../deps.js';
import { digestEmail, unsubscribeUrl } from '../../email/templates.js';

/**
 * The daily digest: new threads of the last day in the communities each user watches or tracks.
 * One row per (user, day) is claimed before sending, so a re-run of the job never sends twice.
 */
export async function sendDailyDigests(deps: Pick<WorkerDeps, 'db' | 'mailer' | 'clock' | 'settings' | 'log'>): Promise<number> {
  const now = deps.clock.now();
  const day = now.toISOString().slice(0, 10);
  const since = new Date(now.getTime() - 86_400_000);
  const subscribers = await deps.db
    .selectDistinct({ userId: watches.userId })
    .from(watches)
    .innerJoin(users, eq(users.id, watches.userId))
    .where(and(eq(watches.targetType, 'community'), inArray(watches.level, ['watching', 'tracking']), eq(users.emailDigest, 'daily')));
  let sent = 0;
  for (const { userId } of subscribers) {
    const [user] = await deps.db.select().from(users).where(eq(users.id, userId));
    if (!user || user.emailMutedKinds.includes('digest')) continue;
    const watched = await deps.db
      .select({ communityId: watches.targetId })
      .from(watches)
      .where(and(eq(watches.userId, userId), eq(watches.targetType, 'community'), inArray(watches.level, ['watching', 'tracking'])));
    const rows = await deps.db
      .select({
        thread: threads,
        community: { id: communities.id, name: communities.name, slug: communities.slug, visibility: communities.visibility },
      })
      .from(threads)
      .innerJoin(communities, eq(communities.id, threads.communityId))
      .where(
        and(
          inArray(
            threads.communityId,
            watched.map((w) => w.communityId),
          ),
          gt(threads.createdAt, since),
          threadListedForAll,
          ne(threads.authorId, userId),
        ),
      )
      .orderBy(desc(threads.createdAt))
      .limit(50);
    const viewer = (await loadViewers(deps.db, [userId], now)).get(userId);
    const readable = rows.filter((r) => viewer && can(viewer, 'thread.read', threadRef(r.thread, r.community)));
    if (readable.length === 0) continue;
    const claimed = await deps.db
      .insert(emailDigests)
      .values({ userId, day })
      .onConflictDoNothing()
      .returning({ userId: emailDigests.userId });
    if (claimed.length === 0) continue;
    const byCommunity = new Map<
      number,
      {
        community: { name: string; slug: string };
        threads: { id: number; title: string; replyCount: number; status: 'open' | 'solved' | 'locked' }[];
      }
    >();
    for (const { thread, community } of readable) {
      const entry = byCommunity.get(community.id) ?? { community: { name: community.name, slug: community.slug }, threads: [] };
      entry.threads.push({ id: thread.id, title: thread.title, replyCount: thread.replyCount, status: thread.status });
      byCommunity.set(community.id, entry);
    }
    try {
      const message = digestEmail({
        recipient: { displayName: user.displayName },
        items: [...byCommunity.values()],
        publicOrigin: deps.settings.publicOrigin,
        unsubscribeUrl: unsubscribeUrl(deps.settings.publicOrigin, user.emailToken, 'digest'),
      });
      await deps.mailer.send({ to: user.email, ...message });
      sent += 1;
    } catch (error) {
      await deps.db.delete(emailDigests).where(and(eq(emailDigests.userId, userId), eq(emailDigests.day, day)));
      throw error;
    }
  }
  return sent;
}
