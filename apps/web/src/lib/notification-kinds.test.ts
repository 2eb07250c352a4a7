import { describe, expect, it } from 'vitest';
import { isDigestChoice, isEmailPreference, mutedKindsFor } from './notification-kinds';

describe('mutedKindsFor', () => {
  it('mutes the kinds left unticked', () => {
    expect(mutedKindsFor(['reply_to_thread', 'reply_to_post', 'mention', 'thread_solved', 'expert_match'], [])).toEqual(['watched_thread_created', 'watched_thread_reply', 'expert_escalation']);
  });
  it('keeps muted kinds the page does not list, but lets the digest choice decide about the digest', () => {
    expect(mutedKindsFor(['reply_to_thread', 'reply_to_post', 'mention', 'thread_solved', 'watched_thread_created', 'watched_thread_reply'], ['mention', 'digest', 'future_kind'])).toEqual(['expert_match', 'expert_escalation', 'future_kind']);
  });
  it('ignores ticked values that are not kinds', () => {
    expect(mutedKindsFor(['nonsense'], [])).toHaveLength(8);
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
