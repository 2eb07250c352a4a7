import { describe, expect, it } from 'vitest';
import { FREE_FAILURES, loginDelayMs, loginRetryAfterMs, MAX_DELAY_MS } from './login-throttle.js';
import { grantableScopes, scopeForMethod, viewerThroughToken } from './tokens.js';
import type { Viewer } from './viewer.js';

const viewer = (role: Viewer['role']): Viewer => ({ id: 1, role, trustLevel: 2, suspended: false, memberships: new Map() });

describe('token scopes', () => {
  it('reads need read, everything else write', () => {
    expect(['GET', 'head', 'OPTIONS'].map(scopeForMethod)).toEqual(['read', 'read', 'read']);
    expect(['POST', 'PUT', 'PATCH', 'DELETE'].map(scopeForMethod)).toEqual(['write', 'write', 'write', 'write']);
  });

  it('admin is grantable to staff only, and without it a staff token acts as a member', () => {
    expect(grantableScopes('member')).toEqual(['read', 'write']);
    expect(grantableScopes('moderator')).toContain('admin');
    expect(viewerThroughToken(viewer('admin'), ['read', 'write']).role).toBe('member');
    expect(viewerThroughToken(viewer('admin'), ['read', 'admin']).role).toBe('admin');
    expect(viewerThroughToken(viewer('member'), ['read'])).toEqual(viewer('member'));
  });
});

describe('login delays', () => {
  it('lets the first failures through, then doubles, up to a cap', () => {
    expect(loginDelayMs(FREE_FAILURES - 1)).toBe(0);
    expect([FREE_FAILURES, FREE_FAILURES + 1, FREE_FAILURES + 2].map(loginDelayMs)).toEqual([1000, 2000, 4000]);
    expect(loginDelayMs(1000)).toBe(MAX_DELAY_MS);
  });

  it('counts the wait from the last failure', () => {
    expect(loginRetryAfterMs(null, 0)).toBe(0);
    expect(loginRetryAfterMs({ count: FREE_FAILURES + 1, lastFailureAt: 10_000 }, 10_500)).toBe(1_500);
    expect(loginRetryAfterMs({ count: FREE_FAILURES + 1, lastFailureAt: 10_000 }, 13_000)).toBe(0);
  });
});
