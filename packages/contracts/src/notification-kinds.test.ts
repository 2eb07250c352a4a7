import { describe, expect, it } from 'vitest';
import {
  emailMuteKinds,
  isUnsubscribeKind,
  notificationKindLabel,
  notificationKindLabels,
  notificationKinds,
} from './notification-kinds.js';

describe('the notification-kind catalogue', () => {
  it('labels every kind, the digest and "all", each differently', () => {
    const keys = [...emailMuteKinds, 'all'];
    expect(Object.keys(notificationKindLabels).sort()).toEqual([...keys].sort());
    expect(new Set(Object.values(notificationKindLabels)).size).toBe(keys.length);
  });

  it('makes every notification kind unsubscribable, and nothing else', () => {
    for (const kind of notificationKinds) expect(isUnsubscribeKind(kind)).toBe(true);
    expect(isUnsubscribeKind('digest')).toBe(true);
    expect(isUnsubscribeKind('spam')).toBe(false);
    expect(notificationKindLabel('guide_review')).toBe('Guides you own that need verifying or updating');
    expect(notificationKindLabel('spam')).toBe('spam');
  });
});
