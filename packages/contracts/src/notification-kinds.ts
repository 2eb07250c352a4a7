/*
 * The one catalogue of notification kinds: the API writes and lists them, the worker emails them, the
 * settings page lets members mute each, and the unsubscribe page names them. No TypeBox here, so the web
 * app's browser code can import it (`@praxis/contracts/notification-kinds`).
 */

/** Append-only, the same strings as the db column; a retired kind is kept, never reused. */
export const notificationKinds = [
  'reply_to_thread',
  'reply_to_post',
  'mention',
  'thread_solved',
  'watched_thread_created',
  'watched_thread_reply',
  /** You were matched as an expert for a question (data: reasons, round). */
  'expert_match',
  /** As a leader: a question's expert rounds passed without an answer. */
  'expert_escalation',
  /** As a guide's owner: verify or update it (its review date came, or similar questions keep arriving). */
  'guide_review',
  /** A guide credits your answer (it was published). */
  'guide_credited',
  /** A moderator acted on your post or account (hidden, deleted, approved, suspended). */
  'moderation_notice',
] as const;

export type NotificationKind = (typeof notificationKinds)[number];

export function isNotificationKind(value: string): value is NotificationKind {
  return (notificationKinds as readonly string[]).includes(value);
}

/** What a member can stop emails about: every notification kind, and the daily digest. */
export const emailMuteKinds = [...notificationKinds, 'digest'] as const;
export type EmailMuteKind = (typeof emailMuteKinds)[number];

/** An unsubscribe link stops one kind, or 'all' email. */
export type UnsubscribeKind = EmailMuteKind | 'all';

export const isUnsubscribeKind = (value: string): value is UnsubscribeKind =>
  value === 'all' || (emailMuteKinds as readonly string[]).includes(value);

/** How each kind is named to members: in the notification settings and on the unsubscribe page. */
export const notificationKindLabels: Record<UnsubscribeKind, string> = {
  reply_to_thread: 'Replies to your questions and discussions',
  reply_to_post: 'Replies to your posts',
  mention: 'Mentions of your @username',
  thread_solved: 'Answers accepted as solutions',
  watched_thread_created: 'New threads in communities and tags you watch',
  watched_thread_reply: 'New posts in threads you watch',
  expert_match: 'Questions you are asked to answer as an expert',
  expert_escalation: 'Unanswered questions passed to you as a leader',
  guide_review: 'Guides you own that need verifying or updating',
  guide_credited: 'Guides that credit your answers',
  moderation_notice: 'Moderators’ decisions about your posts and account',
  digest: 'The daily digest',
  all: 'All email from Praxis',
};

/** The label of an unsubscribe kind, or the text itself when it is not one (never printed raw for a known kind). */
export const notificationKindLabel = (kind: string): string => (isUnsubscribeKind(kind) ? notificationKindLabels[kind] : kind);
