/**
 * The kinds of notification a person can stop emails about (the API's notification kinds, which are
 * append-only: packages/domain/src/notifications.ts), with how the settings page names them.
 */
export const EMAIL_KINDS = [
  { kind: 'reply_to_thread', label: 'Replies to your questions and discussions' },
  { kind: 'reply_to_post', label: 'Replies to your posts' },
  { kind: 'mention', label: 'Mentions of your @username' },
  { kind: 'thread_solved', label: 'Answers accepted as solutions' },
  { kind: 'watched_thread_created', label: 'New threads in communities and tags you watch' },
  { kind: 'watched_thread_reply', label: 'New posts in threads you watch' },
  { kind: 'expert_match', label: 'Questions you are asked to answer as an expert' },
  { kind: 'expert_escalation', label: 'Unanswered questions passed to you as a leader' },
] as const;

export const EMAIL_PREFERENCES = [
  { value: 'away', label: 'Only when I am away', hint: 'Email a notification only if you have not been on Praxis for a while.' },
  { value: 'always', label: 'Always', hint: 'Email every notification, even while you are here.' },
  { value: 'never', label: 'Never', hint: 'No notification emails; check the bell instead.' },
] as const;

export const DIGEST_CHOICES = [
  { value: 'daily', label: 'Daily', hint: 'Once a day, the new threads in communities you watch or track.' },
  { value: 'never', label: 'Never', hint: 'No digest.' },
] as const;

export type EmailPreference = (typeof EMAIL_PREFERENCES)[number]['value'];
export type DigestChoice = (typeof DIGEST_CHOICES)[number]['value'];

export const isEmailPreference = (value: string): value is EmailPreference => EMAIL_PREFERENCES.some((p) => p.value === value);
export const isDigestChoice = (value: string): value is DigestChoice => DIGEST_CHOICES.some((d) => d.value === value);

/**
 * The muted kinds to save: the listed kinds left unticked, plus any other muted kinds the page does not
 * show (kept as they were), except 'digest', which the digest choice itself now decides.
 */
export function mutedKindsFor(enabled: readonly string[], previouslyMuted: readonly string[]): string[] {
  const listed = new Set<string>(EMAIL_KINDS.map((k) => k.kind));
  const off = EMAIL_KINDS.map((k) => k.kind).filter((kind) => !enabled.includes(kind));
  const kept = previouslyMuted.filter((kind) => !listed.has(kind) && kind !== 'digest');
  return [...off, ...kept];
}
