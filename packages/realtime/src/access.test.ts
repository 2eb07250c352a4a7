import { describe, expect, it } from 'vitest';
import { accessChangeFor } from './access.js';

describe('accessChangeFor', () => {
  it('turns every event that changes what someone may do into a re-check of the user or the thread', () => {
    const userEvents = [
      'member.joined',
      'member.left',
      'user.role-changed',
      'user.suspended',
      'session.ended',
      'token.revoked',
      'trust.changed',
    ];
    for (const type of userEvents) {
      expect(accessChangeFor(type, { userId: 7, communityId: 2, tokenId: 3, allSessions: false })).toEqual({
        event: 'access.changed',
        scope: { userId: 7 },
      });
    }
    expect(accessChangeFor('thread.moderated', { threadId: 9, by: 1, action: 'move', fromCommunityId: 1, toCommunityId: 2 })).toEqual({
      event: 'access.changed',
      scope: { threadId: 9 },
    });
  });

  it('ignores events that change nothing about access', () => {
    expect(accessChangeFor('thread.moderated', { threadId: 9, by: 1, action: 'lock' })).toBeNull();
    expect(accessChangeFor('post.created', { threadId: 9, postId: 1 })).toBeNull();
  });
});
