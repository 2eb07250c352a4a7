import { and, communities, eq, isNull, lt, notifications, or, posts, sql, threads, users } from '@praxis/db';
import { excerpt, isNotificationKind, shouldEmailNow } from '@praxis/domain';
import { defineHandler } from '../../dispatch.js';
import { notificationEmail, unsubscribeUrl } from '../../email/templates.js';

/**
 * Emails one notification when its recipient is away (or always wants email). At least once, and
 * normally exactly once: an attempt first takes a lease (email_claimed_at), sends, then stamps
 * emailed_at. A concurrent attempt finds the lease and retries later; a killed sender's lease expires
 * (settings.emailLeaseMs) and the re-delivered job sends. A duplicate needs a crash between the SMTP
 * server accepting the message and the stamp.
 */
export const emailNotification = defineHandler('email.notification', {
  queue: 'email',
  async handle(event, deps) {
    const { notificationId } = event.payload;
    const [row] = await deps.db
      .select({
        notification: notifications,
        user: users,
        thread: { id: threads.id, title: threads.title },
        community: { name: communities.name, slug: communities.slug },
        // What the email quotes and who it names, read with the rest (a notification about a whole question, an
        // expert match, quotes the question itself).
        actor: sql<{
          displayName: string;
          username: string;
        } | null>`(select json_build_object('displayName', a.display_name, 'username', a.username) from ${users} a where a.id = ${notifications.actorId})`,
        postBody: sql<
          string | null
        >`(select p.body from ${posts} p where p.id = coalesce(${notifications.postId}, (select f.id from ${posts} f where f.thread_id = ${notifications.threadId} and f.number = 1)))`,
      })
      .from(notifications)
      .innerJoin(users, eq(users.id, notifications.userId))
      .innerJoin(threads, eq(threads.id, notifications.threadId))
      .innerJoin(communities, eq(communities.id, notifications.communityId))
      .where(eq(notifications.id, notificationId));
    if (!row) return 'skipped:notification gone';
    const { notification, user } = row;
    if (notification.emailedAt) return 'skipped:already emailed';
    if (notification.readAt) return 'skipped:already read';
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

    const leaseExpired = new Date(now.getTime() - deps.settings.emailLeaseMs);
    const claimed = await deps.db
      .update(notifications)
      .set({ emailClaimedAt: now })
      .where(
        and(
          eq(notifications.id, notificationId),
          isNull(notifications.emailedAt),
          or(isNull(notifications.emailClaimedAt), lt(notifications.emailClaimedAt, leaseExpired)),
        ),
      )
      .returning({ id: notifications.id });
    if (claimed.length === 0) {
      const [current] = await deps.db
        .select({ emailedAt: notifications.emailedAt })
        .from(notifications)
        .where(eq(notifications.id, notificationId));
      if (!current || current.emailedAt) return 'skipped:already emailed';
      throw new Error(`notification ${notificationId}: another attempt holds the email lease; retrying later`);
    }
    try {
      const actor = notification.actorId ? row.actor : null;
      const post = row.postBody === null ? undefined : { body: row.postBody };
      const reasons = (notification.data as { reasons?: unknown }).reasons;
      const message = notificationEmail({
        recipient: { displayName: user.displayName },
        kind: notification.kind,
        actor: actor ?? null,
        thread: row.thread,
        community: row.community,
        excerpt: post ? excerpt(post.body, 400) : '',
        ...(Array.isArray(reasons) && { reasons: reasons.filter((r): r is string => typeof r === 'string') }),
        publicOrigin: deps.settings.publicOrigin,
        unsubscribeUrl: unsubscribeUrl(deps.settings.publicOrigin, user.emailToken, notification.kind),
      });
      await deps.mailer.send({ to: user.email, ...message });
      await deps.db.update(notifications).set({ emailedAt: deps.clock.now() }).where(eq(notifications.id, notificationId));
      return 'done';
    } catch (error) {
      await deps.db.update(notifications).set({ emailClaimedAt: null }).where(eq(notifications.id, notificationId));
      throw error;
    }
  },
});
