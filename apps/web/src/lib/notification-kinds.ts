import { notificationKindLabels, notificationKinds } from '@praxis/contracts/notification-kinds';

/** Every kind of notification a person can stop emails about, named as the catalogue names it (the digest has its own choice). */
export const EMAIL_KINDS = notificationKinds.map((kind) => ({ kind, label: notificationKindLabels[kind] }));

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
