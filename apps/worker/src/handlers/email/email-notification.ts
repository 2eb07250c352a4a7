import { and, communities, eq, isNull, notifications, posts, threads, users } from '@praxis/db';
import { excerpt, isNotificationKind, shouldEmailNow } from '@praxis/domain';
import type { EventHandler, OutboxEvent } from '../../dispatch.js';
import { notificationEmail, unsubscribeUrl } from '../../email/templates.js';

/**
 * Emails one notification when its recipient is away (or always wants email). The row is claimed by
 * setting emailed_at first, so a retried job never sends twice; a failed send releases the claim.
 */
export const emailNotification: EventHandler = {
  queue: 'email',
  async handle(event, deps) {
    const { notificationId } = (event as OutboxEvent<'notification.created'>).payload;
    const [row] = await deps.db
      .select({ notification: notifications, user: users, thread: { id: threads.id, title: threads.title }, community: { name: communities.name, slug: communities.slug } })
      .from(notifications)
      .innerJoin(users, eq(users.id, notifications.userId))
      .innerJoin(threads, eq(threads.id, notifications.threadId))
      .innerJoin(communities, eq(communities.id, notifications.communityId))
      .where(eq(notifications.id, notificationId));
    if (!row) return 'skipped:notification gone';
    const { notification, user } = row;
    if (notification.readAt || notification.emailedAt) return 'skipped:already read or emailed';
    if (!isNotificationKind(notification.kind)) return `skipped:unknown kind ${notification.kind}`;
    const now = deps.clock.now();
    const wanted = shouldEmailNow({
      preference: user.emailNotifications,
      mutedKinds: user.emailMutedKinds,
      kind: notification.kind,
      lastSeenAt: user.lastSeenAt,
      now,
      awayAfterMs: deps.settings.emailAwayMs,
    });
    if (!wanted) return 'skipped:recipient is around or opted out';

    const claimed = await deps.db
      .update(notifications)
      .set({ emailedAt: now })
      .where(and(eq(notifications.id, notificationId), isNull(notifications.emailedAt)))
      .returning({ id: notifications.id });
    if (claimed.length === 0) return 'skipped:already emailed';
    try {
      const [actor] = notification.actorId ? await deps.db.select({ displayName: users.displayName, username: users.username }).from(users).where(eq(users.id, notification.actorId)) : [];
      const [post] = notification.postId ? await deps.db.select({ body: posts.body }).from(posts).where(eq(posts.id, notification.postId)) : [];
      const message = notificationEmail({
        recipient: { displayName: user.displayName },
        kind: notification.kind,
        actor: actor ?? null,
        thread: row.thread,
        community: row.community,
        excerpt: post ? excerpt(post.body, 400) : '',
        publicOrigin: deps.settings.publicOrigin,
        unsubscribeUrl: unsubscribeUrl(deps.settings.publicOrigin, user.emailToken, notification.kind),
      });
      await deps.mailer.send({ to: user.email, ...message });
      return 'done';
    } catch (error) {
      await deps.db.update(notifications).set({ emailedAt: null }).where(eq(notifications.id, notificationId));
      throw error;
    }
  },
};
