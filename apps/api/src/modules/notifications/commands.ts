import { AppError, isUnsubscribeKind, type NotificationSettings } from '@praxis/contracts';
import { and, appendEvent, eq, inArray, isNull, notifications, sql, users, type Db, type SQL } from '@praxis/db';
import type { Deps } from '../../context.js';

/** Marks some, a thread's, or all of the viewer's notifications read; other tabs hear it through 'notification.read'. */
export async function markNotificationsRead(
  deps: Deps,
  userId: number,
  which: { ids?: number[] | undefined; threadId?: number | undefined; all?: boolean | undefined },
): Promise<void> {
  if (!which.all && !which.ids && which.threadId === undefined)
    throw new AppError('VALIDATION_FAILED', 'Say which notifications to mark read: ids, threadId or all', { ids: 'is missing' });
  await deps.db.transaction((tx) =>
    markReadIn(
      tx,
      userId,
      which.all ? undefined : which.ids ? inArray(notifications.id, which.ids) : eq(notifications.threadId, which.threadId!),
      deps.clock.now(),
    ),
  );
}

/** Inside the caller's transaction: the viewer's unread notifications matching `which` (all when undefined) become read. */
export async function markReadIn(tx: Db, userId: number, which: SQL | undefined, now: Date): Promise<void> {
  const marked = await tx
    .update(notifications)
    .set({ readAt: now })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt), which))
    .returning({ id: notifications.id });
  if (marked.length > 0) await appendEvent(tx, 'notification.read', userId, { userId }, userId);
}

export async function updateNotificationSettings(deps: Deps, userId: number, changes: Partial<NotificationSettings>): Promise<void> {
  const unknown = changes.emailMutedKinds?.find((kind) => !isUnsubscribeKind(kind));
  if (unknown)
    throw new AppError('VALIDATION_FAILED', `"${unknown}" is not a notification kind`, {
      emailMutedKinds: `has unknown kind "${unknown}"`,
    });
  if (Object.keys(changes).length === 0) return;
  await deps.db.update(users).set(changes).where(eq(users.id, userId));
}

/** The one-click unsubscribe of an email link: the token only identifies whose mail to stop. */
export async function unsubscribeByToken(deps: Deps, token: string, kind: string): Promise<{ email: string }> {
  if (!isUnsubscribeKind(kind))
    throw new AppError('VALIDATION_FAILED', `"${kind}" is not something you can unsubscribe from`, { kind: 'is unknown' });
  const set =
    kind === 'all'
      ? { emailNotifications: 'never' as const, emailDigest: 'never' as const }
      : { emailMutedKinds: sql`(select array_agg(distinct k) from unnest(array_append(${users.emailMutedKinds}, ${kind}::text)) as k)` };
  const [user] = await deps.db.update(users).set(set).where(eq(users.emailToken, token)).returning({ email: users.email });
  if (!user) throw new AppError('NOT_FOUND', 'This unsubscribe link is not valid any more');
  return user;
}
