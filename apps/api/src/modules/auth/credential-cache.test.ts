import { describe, expect, it } from 'vitest';
import type { Viewer } from '@praxis/domain';
import { changesOthersAccess, CredentialCache, rememberFor, type Credential } from './credential-cache.js';
import type { UserRow } from './load-viewer.js';

const viewer = (id: number, role: Viewer['role'] = 'member', memberships: [number, 'member' | 'moderator' | 'leader'][] = []): Viewer => ({
  id,
  role,
  trustLevel: 1,
  suspended: false,
  memberships: new Map(memberships),
});
const credential = (userId: number, expiresAt: Date | null = null): Credential => ({
  user: { id: userId } as UserRow,
  viewer: viewer(userId),
  grant: null,
  expiresAt,
});

describe('CredentialCache', () => {
  it('keeps a credential for the TTL, never past the credential’s own expiry', () => {
    const cache = new CredentialCache(10_000);
    cache.set('session:a', credential(1), 0, cache.version());
    expect(cache.get('session:a', 9_999)?.user.id).toBe(1);
    expect(cache.get('session:a', 10_000)).toBeUndefined();
    cache.set('session:b', credential(2, new Date(3_000)), 0, cache.version());
    expect(cache.get('session:b', 2_999)?.user.id).toBe(2);
    expect(cache.get('session:b', 3_000)).toBeUndefined();
  });

  it('forgets one user’s credentials (sessions and tokens) or all of them', () => {
    const cache = new CredentialCache();
    cache.set('session:a', credential(1), 0, cache.version());
    cache.set('token:b', credential(1), 0, cache.version());
    cache.set('session:c', credential(2), 0, cache.version());
    cache.forgetUser(1);
    expect(cache.get('session:a', 1)).toBeUndefined();
    expect(cache.get('token:b', 1)).toBeUndefined();
    expect(cache.get('session:c', 1)?.user.id).toBe(2);
    cache.clear();
    expect(cache.get('session:c', 1)).toBeUndefined();
  });

  it('refuses a credential loaded while a user was forgotten (it may predate their change)', () => {
    const cache = new CredentialCache();
    const before = cache.version();
    cache.forgetUser(9);
    cache.set('session:a', credential(1), 0, before);
    expect(cache.get('session:a', 1)).toBeUndefined();
  });

  it('remembers a viewer’s own values once per cached credential, and not for anonymous visits', async () => {
    const cached = credential(1);
    let loads = 0;
    const load = async () => ++loads;
    expect(await rememberFor(cached)('unread', load)).toBe(1);
    expect(await rememberFor(cached)('unread', load)).toBe(1);
    expect(await rememberFor(credential(1))('unread', load)).toBe(2);
    expect(await rememberFor(null)('unread', load)).toBe(3);
    expect(await rememberFor(null)('unread', load)).toBe(4);
  });
});

describe('changesOthersAccess', () => {
  it('is true for site staff and for a community’s leaders and moderators, false for members', () => {
    expect(changesOthersAccess(viewer(1))).toBe(false);
    expect(changesOthersAccess(viewer(1, 'member', [[3, 'member']]))).toBe(false);
    expect(changesOthersAccess(viewer(1, 'member', [[3, 'moderator']]))).toBe(true);
    expect(changesOthersAccess(viewer(1, 'member', [[3, 'leader']]))).toBe(true);
    expect(changesOthersAccess(viewer(1, 'moderator'))).toBe(true);
    expect(changesOthersAccess(viewer(1, 'admin'))).toBe(true);
  });
});
