import type { MembershipRole, ThreadRef, Viewer } from '@praxis/domain';
import { and, eq, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from './client.js';
import { memberships, notifications, threads, users } from './schema.js';
import { threadListedForAll } from './visibility.js';

type UserRow = typeof users.$inferSelect;

/** The policy's view of a user, as of `now` (suspension is decided here so policies stay clock-free). */
export function viewerFrom(
  user: Pick<UserRow, 'id' | 'role' | 'trustLevel' | 'suspendedUntil'> & { suspendReason?: string | null },
  rows: { communityId: number; role: MembershipRole }[],
  now: Date,
): Viewer {
  const suspended = user.suspendedUntil !== null && user.suspendedUntil > now;
  return {
    id: user.id,
    role: user.role,
    trustLevel: user.trustLevel,
    suspended,
    ...(suspended && { suspension: { until: user.suspendedUntil!.toISOString(), reason: user.suspendReason ?? '' } }),
    memberships: new Map(rows.map((r) => [r.communityId, r.role])),
  };
}

export async function loadViewer(db: Db, user: UserRow, now: Date): Promise<Viewer> {
  const rows = await db
    .select({ communityId: memberships.communityId, role: memberships.role })
    .from(memberships)
    .where(eq(memberships.userId, user.id));
  return viewerFrom(user, rows, now);
}

/** Viewers for many users in two queries: for re-checking notification recipients before writing. */
export async function loadViewers(db: Db, userIds: number[], now: Date): Promise<Map<number, Viewer>> {
  if (userIds.length === 0) return new Map();
  const people = await db.select().from(users).where(inArray(users.id, userIds));
  const rows = await db.select().from(memberships).where(inArray(memberships.userId, userIds));
  return new Map(
    people.map((u) => [
      u.id,
      viewerFrom(
        u,
        rows.filter((r) => r.userId === u.id),
        now,
      ),
    ]),
  );
}

type ThreadRow = typeof threads.$inferSelect;

/** What the policy needs to know about a thread. */
export const threadRef = (
  thread: Pick<ThreadRow, 'id' | 'authorId' | 'kind' | 'status'> & { heldAt?: Date | null },
  community: { id: number; visibility: 'public' | 'private' },
): ThreadRef => ({
  id: thread.id,
  authorId: thread.authorId,
  kind: thread.kind,
  status: thread.status,
  community: { id: community.id, visibility: community.visibility },
  ...(thread.heldAt ? { held: true } : {}),
});

/** How many of a user's notifications are unread: the bell's number. */
export async function unreadNotificationCount(db: Db, userId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

/** Threads the search index owes: never indexed, changed since, or indexed with an older document version (held threads wait for approval). */
export function threadsNeedingIndex(documentVersion: number): SQL {
  return and(
    threadListedForAll,
    or(isNull(threads.indexedAt), lt(threads.indexedAt, threads.updatedAt), lt(threads.searchVersion, documentVersion)),
  )!;
}
