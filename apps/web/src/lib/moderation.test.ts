import { describe, expect, it } from 'vitest';
import { auditWords, dateInDays, endOfDay, flagReasonLabel, isFlagReason, isReviewAction } from './moderation';

describe('moderation helpers', () => {
  it('knows the flag reasons and review actions', () => {
    expect(isFlagReason('spam')).toBe(true);
    expect(isFlagReason('rude')).toBe(false);
    expect(flagReasonLabel('needs_moderator')).toBe('Needs a moderator');
    expect(isReviewAction('suspend')).toBe(true);
    expect(isReviewAction('ban')).toBe(false);
  });
  it('words audit actions, falling back to the code', () => {
    expect(auditWords('thread.lock')).toBe('locked a thread');
    expect(auditWords('something.new')).toBe('something.new');
  });
  it('turns a chosen day into the end of that day', () => {
    expect(endOfDay('2027-03-12')).toBe('2027-03-12T23:59:59.000Z');
    expect(endOfDay('12/03/2027')).toBeNull();
    expect(dateInDays(7, new Date('2027-01-01T10:00:00Z'))).toBe('2027-01-08');
  });
});
