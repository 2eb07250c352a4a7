/** Labels for flag reasons and review actions, shared by the flag form, the review queue and the audit log. */
export const FLAG_REASONS = [
  { value: 'spam', label: 'Spam', hint: 'An advert, or posted only for a link' },
  { value: 'off_topic', label: 'Off-topic', hint: 'Not about this community’s practice' },
  { value: 'inappropriate', label: 'Inappropriate', hint: 'Rude, hostile or against the charter' },
  { value: 'needs_moderator', label: 'Needs a moderator', hint: 'Something else — say what in the note' },
] as const;
export type FlagReason = (typeof FLAG_REASONS)[number]['value'];

export const isFlagReason = (value: string): value is FlagReason => FLAG_REASONS.some((r) => r.value === value);
export const flagReasonLabel = (value: string): string => FLAG_REASONS.find((r) => r.value === value)?.label ?? value;

export const REVIEW_ACTIONS = ['approve', 'hide', 'delete', 'suspend', 'dismiss'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];
export const isReviewAction = (value: string): value is ReviewAction => (REVIEW_ACTIONS as readonly string[]).includes(value);

/** Audit-log action codes in words. */
const AUDIT_WORDS: Record<string, string> = {
  'review.approve': 'approved a post',
  'review.hide': 'hid a flagged post',
  'review.delete': 'deleted a flagged post',
  'review.suspend': 'suspended a post’s author',
  'review.dismiss': 'dismissed the flags on a post',
  'user.suspend': 'suspended a member',
  'user.unsuspend': 'lifted a suspension',
  'user.role': 'changed a site role',
  'member.role': 'changed a community role',
  'thread.lock': 'locked a thread',
  'thread.unlock': 'unlocked a thread',
  'thread.move': 'moved a thread',
  'thread.edit': 'edited a thread’s title or tags',
  'post.edit': 'edited someone’s post',
  'post.hide': 'hid a post',
  'post.unhide': 'unhid a post',
  'post.delete': 'deleted someone’s post',
  'solution.accept': 'accepted an answer',
  'community.create': 'created the community',
  'community.update': 'edited the community',
  'trust.settings': 'changed the trust settings',
};
export const auditWords = (action: string): string => AUDIT_WORDS[action] ?? action;

/** A date input's value (YYYY-MM-DD) `days` from `now`, for the default "suspend until". */
export function dateInDays(days: number, now = new Date()): string {
  return new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/** The end of a chosen day (UTC) as an ISO instant: "until 12 March" includes 12 March. */
export function endOfDay(date: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const d = new Date(`${date}T23:59:59.000Z`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** "12 March 2027" for a suspension end. */
export const formatUntil = (iso: string): string =>
  new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
