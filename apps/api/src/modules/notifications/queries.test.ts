import { describe, expect, it } from 'vitest';
import { notificationMessage } from './queries.js';

describe('notificationMessage', () => {
  it.each([
    ['mention', 'Bob', {}, 'Bob mentioned you'],
    ['moderation_notice', 'Mod', { reason: 'hide' }, 'A moderator hid your post'],
    ['moderation_notice', 'Mod', { reason: 'suspend' }, 'A moderator suspended your account'],
    ['moderation_notice', 'Mod', {}, 'A moderator reviewed your post'],
    ['guide_review', null, { guideId: 4, guideTitle: 'Dry hopping' }, 'Please verify or update the guide “Dry hopping”'],
    ['guide_credited', null, { guideId: 4, guideTitle: 'Dry hopping' }, 'Your answer is credited in the guide “Dry hopping”'],
    ['guide_credited', null, {}, 'A guide credits your answer'],
    ['some_future_kind', null, {}, 'Someone posted'],
  ])('%s %j → %s', (kind, actor, data, expected) => {
    expect(notificationMessage(kind, actor, data)).toBe(expected);
  });
});
