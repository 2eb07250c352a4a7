import {
  and,
  appendEvent,
  appendEventSql,
  communities,
  eq,
  inArray,
  loadViewers,
  notifications,
  or,
  sql,
  threadRef,
  threads,
  users,
  watches,
  type Db,
} from '@praxis/db';
import { can, type NotificationPlan, type ThreadWatchLevels, type WatchLevel } from '@praxis/domain';

type ThreadRow = typeof threads.$inferSelect;

export interface ThreadContext {
  thread: ThreadRow;
  community: { id: number; visibility: 'public' | 'private' };
}

export async function loadThreadContext(db: Db, threadId: number): Promise<ThreadContext | null> {
  const [row] = await db
    .select({ thread: threads, community: { id: communities.id, visibility: communities.visibility } })
    .from(threads)
    .innerJoin(communities, eq(communities.id, threads.communityId))
    .where(eq(threads.id, threadId));
  return row ?? null;
}

/** The watch rows that matter for one thread: the thread itself, its community, and its tags in that community (one query). */
export async function loadWatchLevels(db: Db, thread: ThreadRow): Promise<ThreadWatchLevels> {
  const rows = await db
    .select({ userId: watches.userId, level: watches.level, targetType: watches.targetType })
    .from(watches)
    .where(
      or(
        and(eq(watches.targetType, 'thread'), eq(watches.targetId, thread.id)),
        and(eq(watches.targetType, 'community'), eq(watches.targetId, thread.communityId)),
        thread.tags.length
          ? and(eq(watches.targetType, 'tag'), eq(watches.targetId, thread.communityId), inArray(watches.tag, thread.tags))
          : undefined,
      ),
    );
  const tags = new Map<number, WatchLevel[]>();
  const threadLevels = new Map<number, WatchLevel>();
  const communityLevels = new Map<number, WatchLevel>();
  for (const row of rows) {
    if (row.targetType === 'tag') tags.set(row.userId, [...(tags.get(row.userId) ?? []), row.level]);
    else if (row.targetType === 'thread') threadLevels.set(row.userId, row.level);
    else if (row.targetType === 'community') communityLevels.set(row.userId, row.level);
  }
  return { thread: threadLevels, community: communityLevels, tags };
}

/** Mentioned usernames (case-insensitive) → user ids, for those that exist. */
export async function usersByUsername(db: Db, usernames: readonly string[]): Promise<Map<string, number>> {
  if (usernames.length === 0) return new Map();
  const rows = await db
    .select({ id: users.id, username: users.username })
    .from(users)
    .where(
      inArray(
        sql`lower(${users.username})`,
        usernames.map((u) => u.toLowerCase()),
      ),
    );
  return new Map(rows.map((r) => [r.username.toLowerCase(), r.id]));
}

/**
 * Writes the planned notifications. Each recipient's read permission is re-checked right before the
 * write (they may have left a private community since). The unique (user, dedupe key) makes a retried
 * job write nothing twice; each new row gets its 'notification.created' event in the same transaction.
 */
export async function writeNotifications(
  deps: { db: Db; clock: { now(): Date } },
  context: ThreadContext,
  plan: NotificationPlan,
  cause: { postId: number | null; actorId: number | null },
): Promise<{ written: number; refused: number }> {
  const recipients = plan.notify.map((n) => n.userId);
  const viewers = await loadViewers(deps.db, recipients, deps.clock.now());
  const ref = threadRef(context.thread, context.community);
  const allowed = plan.notify.filter((n) => {
    const viewer = viewers.get(n.userId);
    return viewer !== undefined && can(viewer, 'thread.read', ref);
  });
  if (allowed.length === 0) return { written: 0, refused: plan.notify.length };
  const rows = allowed.map((item) => ({
    userId: item.userId,
    kind: item.kind,
    communityId: context.community.id,
    threadId: context.thread.id,
    postId: cause.postId,
    actorId: cause.actorId,
    dedupeKey: item.dedupeKey,
    data: { reason: item.reason },
  }));
  // One statement writes every notification and the 'notification.created' event of each new one (atomic without a
  // transaction around it); a repeated (user, dedupe key) writes neither.
  const event = appendEventSql(
    'notification.created',
    sql`inserted.user_id`,
    sql`jsonb_build_object('notificationId', inserted.id, 'userId', inserted.user_id, 'kind', inserted.kind, 'threadId', inserted.thread_id)`,
    sql`inserted.actor_id`,
    rows.map((row) => ({ notificationId: 1, userId: row.userId, kind: row.kind, threadId: row.threadId })),
    sql.raw('inserted'),
  );
  const values = sql.join(
    rows.map(
      (row) =>
        sql`(${row.userId}::int, ${row.kind}::text, ${row.communityId}::int, ${row.threadId}::int, ${row.postId}::int, ${row.actorId}::int, ${row.dedupeKey}::text, ${JSON.stringify(row.data)}::jsonb)`,
    ),
    sql`, `,
  );
  const result = await deps.db.execute(sql`
    with inserted as (
      insert into ${notifications} (user_id, kind, community_id, thread_id, post_id, actor_id, dedupe_key, data)
      values ${values}
      on conflict (user_id, dedupe_key) do nothing
      returning id, user_id, kind, thread_id, actor_id
    ), event as (${event})
    select count(*)::int as written from inserted`);
  const [counted] = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { written: number | string }[];
  const written = Number(counted?.written ?? 0);
  return { written, refused: plan.notify.length - allowed.length };
}

/**
 * Inserts one notification with its 'notification.created' event, inside the caller's transaction. A
 * repeated (user, dedupe key) writes nothing and returns null, so a retried job never notifies twice.
 */
export async function insertNotification(tx: Db, values: typeof notifications.$inferInsert): Promise<number | null> {
  const [row] = await tx
    .insert(notifications)
    .values(values)
    .onConflictDoNothing({ target: [notifications.userId, notifications.dedupeKey] })
    .returning({ id: notifications.id });
  if (!row) return null;
  await appendEvent(
    tx,
    'notification.created',
    values.userId,
    { notificationId: row.id, userId: values.userId, kind: values.kind, threadId: values.threadId },
    values.actorId ?? null,
  );
  return row.id;
}
