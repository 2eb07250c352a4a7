import {
  isNotificationKind,
  type Notification,
  type NotificationKind,
  type NotificationList,
  type NotificationSettings,
  type WatchLevel,
} from '@praxis/contracts';
import {
  communityReadableBy,
  and,
  communities,
  desc,
  eq,
  isNull,
  lt,
  notifications,
  posts,
  threads,
  unreadNotificationCount,
  users,
  watches,
} from '@praxis/db';
import type { Viewer } from '@praxis/domain';
import type { Deps } from '../../context.js';
import { decodeIdCursor } from '../threads/cursor.js';

/** What a moderator decided, as the author reads it (the notification's data.reason is the review action). */
const moderationMessages: Record<string, string> = {
  approve: 'A moderator approved your post',
  hide: 'A moderator hid your post',
  delete: 'A moderator removed your post',
  suspend: 'A moderator suspended your account',
};

interface NotificationData {
  reason?: unknown;
  guideId?: unknown;
  guideTitle?: unknown;
}

/** The guide a guide notification is about (its thread is only the guide's first source). */
function guideOf(kind: string, data: NotificationData): { id: number; title: string } | undefined {
  if (kind !== 'guide_review' && kind !== 'guide_credited') return undefined;
  return Number.isInteger(data.guideId) && typeof data.guideTitle === 'string'
    ? { id: data.guideId as number, title: data.guideTitle }
    : undefined;
}

/** An expert_match notification's `data`: why the expert was asked, and in which round. */
function matchDetails(kind: string, data: unknown): { reasons?: string[]; round?: number } {
  if (kind !== 'expert_match' && kind !== 'expert_escalation') return {};
  const d = (data ?? {}) as { reasons?: unknown; round?: unknown };
  return {
    ...(Array.isArray(d.reasons) && { reasons: d.reasons.filter((r): r is string => typeof r === 'string') }),
    ...(Number.isInteger(d.round) && { round: d.round as number }),
  };
}

const withGuide = (guide: { id: number; title: string } | undefined) => (guide ? { guide } : {});

/** One line per kind of the catalogue (a Record over it: a new kind without its message does not compile). */
const messages: Record<NotificationKind, (actor: string, data: NotificationData) => string> = {
  reply_to_thread: (actor) => `${actor} replied to your question`,
  reply_to_post: (actor) => `${actor} replied to your post`,
  mention: (actor) => `${actor} mentioned you`,
  thread_solved: (actor) => `${actor} marked a solution`,
  watched_thread_created: (actor) => `${actor} started a thread you watch`,
  watched_thread_reply: (actor) => `${actor} replied in a thread you watch`,
  expert_match: (actor) => `${actor} asked a question you may know about`,
  expert_escalation: (actor) => `${actor}’s question has no answer yet: it needs a leader`,
  guide_review: (_actor, data) => {
    const guide = guideOf('guide_review', data);
    return guide ? `Please verify or update the guide “${guide.title}”` : 'Please verify or update a guide you own';
  },
  guide_credited: (_actor, data) => {
    const guide = guideOf('guide_credited', data);
    return guide ? `Your answer is credited in the guide “${guide.title}”` : 'A guide credits your answer';
  },
  moderation_notice: (_actor, data) => moderationMessages[String(data.reason)] ?? 'A moderator reviewed your post',
};

export function notificationMessage(kind: string, actorName: string | null, data: NotificationData = {}): string {
  return isNotificationKind(kind) ? messages[kind](actorName ?? 'Someone', data) : `${actorName ?? 'Someone'} posted`;
}

export const unreadCount = (deps: Deps, userId: number): Promise<number> => unreadNotificationCount(deps.db, userId);

/** The viewer's notifications, newest first; only those in communities they can still read. */
export async function listNotifications(
  deps: Deps,
  viewer: Viewer,
  query: { cursor?: string | undefined; limit?: number | undefined; unread?: boolean | undefined },
): Promise<NotificationList> {
  const limit = query.limit ?? 20;
  const afterId = decodeIdCursor(query.cursor);
  const rows = await deps.db
    .select({
      notification: notifications,
      thread: { id: threads.id, title: threads.title },
      community: { slug: communities.slug, name: communities.name },
      postNumber: posts.number,
      actor: { id: users.id, username: users.username, displayName: users.displayName, trustLevel: users.trustLevel },
    })
    .from(notifications)
    .innerJoin(threads, eq(threads.id, notifications.threadId))
    .innerJoin(communities, eq(communities.id, notifications.communityId))
    .leftJoin(posts, eq(posts.id, notifications.postId))
    .leftJoin(users, eq(users.id, notifications.actorId))
    .where(
      and(
        eq(notifications.userId, viewer.id),
        communityReadableBy(viewer),
        afterId !== null ? lt(notifications.id, afterId) : undefined,
        query.unread ? isNull(notifications.readAt) : undefined,
      ),
    )
    .orderBy(desc(notifications.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const items: Notification[] = page.map((r) => ({
    id: r.notification.id,
    kind: r.notification.kind,
    message: notificationMessage(r.notification.kind, r.actor?.displayName ?? null, r.notification.data as NotificationData),
    thread: r.thread,
    community: r.community,
    postId: r.notification.postId,
    postNumber: r.postNumber ?? null,
    actor: r.actor?.id ? r.actor : null,
    read: r.notification.readAt !== null,
    createdAt: r.notification.createdAt.toISOString(),
    ...matchDetails(r.notification.kind, r.notification.data),
    ...withGuide(guideOf(r.notification.kind, r.notification.data as NotificationData)),
  }));
  return {
    items,
    unreadCount: await unreadCount(deps, viewer.id),
    nextCursor: rows.length > limit ? String(page[page.length - 1]!.notification.id) : null,
  };
}

export async function notificationSettings(deps: Deps, userId: number): Promise<NotificationSettings> {
  const [user] = await deps.db
    .select({ emailNotifications: users.emailNotifications, emailDigest: users.emailDigest, emailMutedKinds: users.emailMutedKinds })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) throw new Error(`user ${userId} vanished`);
  return user;
}

export type WatchTarget =
  | { type: 'community'; communityId: number }
  | { type: 'tag'; communityId: number; tag: string }
  | { type: 'thread'; threadId: number; authorId: number | null };

const targetKey = (target: WatchTarget) =>
  target.type === 'thread'
    ? { targetType: 'thread' as const, targetId: target.threadId, tag: '' }
    : { targetType: target.type, targetId: target.communityId, tag: target.type === 'tag' ? target.tag : '' };

/** The viewer's level on a target; without a choice, the thread's author watches it and everyone else is 'normal'. */
export async function watchState(deps: Deps, userId: number, target: WatchTarget): Promise<{ level: WatchLevel; isDefault: boolean }> {
  const key = targetKey(target);
  const [row] = await deps.db
    .select({ level: watches.level })
    .from(watches)
    .where(
      and(eq(watches.userId, userId), eq(watches.targetType, key.targetType), eq(watches.targetId, key.targetId), eq(watches.tag, key.tag)),
    );
  if (row) return { level: row.level, isDefault: false };
  return { level: target.type === 'thread' && target.authorId === userId ? 'watching' : 'normal', isDefault: true };
}

export async function setWatch(deps: Deps, userId: number, target: WatchTarget, level: WatchLevel): Promise<void> {
  const key = targetKey(target);
  await deps.db
    .insert(watches)
    .values({ userId, ...key, level, updatedAt: deps.clock.now() })
    .onConflictDoUpdate({
      target: [watches.userId, watches.targetType, watches.targetId, watches.tag],
      set: { level, updatedAt: deps.clock.now() },
    });
}
