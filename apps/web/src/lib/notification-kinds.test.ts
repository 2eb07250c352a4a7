import { describe, expect, it } from 'vitest';
import { notificationKinds } from '@praxis/contracts/notification-kinds';
import { EMAIL_KINDS, isDigestChoice, isEmailPreference, mutedKindsFor } from './notification-kinds';

describe('mutedKindsFor', () => {
  it('mutes the kinds left unticked', () => {
    expect(mutedKindsFor(['reply_to_thread', 'reply_to_post', 'mention', 'thread_solved', 'expert_match'], [])).toEqual([
      'watched_thread_created',
      'watched_thread_reply',
      'expert_escalation',
      'guide_review',
      'guide_credited',
      'moderation_notice',
    ]);
  });
  it('keeps muted kinds the page does not list, but lets the digest choice decide about the digest', () => {
    expect(
      mutedKindsFor(
        ['reply_to_thread', 'reply_to_post', 'mention', 'thread_solved', 'watched_thread_created', 'watched_thread_reply'],
        ['mention', 'digest', 'future_kind'],
      ),
    ).toEqual(['expert_match', 'expert_escalation', 'guide_review', 'guide_credited', 'moderation_notice', 'future_kind']);
  });
  it('ignores ticked values that are not kinds', () => {
    expect(mutedKindsFor(['nonsense'], [])).toEqual([...notificationKinds]);
  });
});

describe('EMAIL_KINDS', () => {
  it('lists every notification kind of the catalogue, each with a label, so every kind can be muted', () => {
    expect(EMAIL_KINDS.map((k) => k.kind)).toEqual([...notificationKinds]);
    for (const k of EMAIL_KINDS) expect(k.label).toMatch(/^[A-Z]/);
  });
});

describe('choices', () => {
  it('accepts only the known values', () => {
    expect(isEmailPreference('away')).toBe(true);
    expect(isEmailPreference('sometimes')).toBe(false);
    expect(isDigestChoice('daily')).toBe(true);
    expect(isDigestChoice('weekly')).toBe(false);
  });
});
