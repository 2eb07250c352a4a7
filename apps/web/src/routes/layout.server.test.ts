import { describe, expect, it } from 'vitest';
import { fakeApi, viewer } from '$lib/server/fake-api';
import { load } from './+layout.server';

const run = (routeId: string, signedIn = true) => {
  const { api, calls } = fakeApi({ 'GET /api/v1/notifications/unread-count': { status: 200, body: { unreadCount: 4 } } });
  const event = { locals: { api, viewer: signedIn ? viewer : null }, route: { id: routeId }, depends: () => {} };
  return { result: (load as unknown as (e: typeof event) => Promise<{ unread: { count: number; at: number } | null }>)(event), calls };
};

describe('root layout load', () => {
  it('gives a signed-in viewer the unread count, stamped', async () => {
    const before = Date.now();
    const { unread } = await run('/').result;
    expect(unread?.count).toBe(4);
    expect(unread?.at).toBeGreaterThanOrEqual(before);
  });

  it('leaves the count to the thread page, whose one read returns it', async () => {
    const { result, calls } = run('/t/[id=id]/[[slug]]');
    expect((await result).unread).toBeNull();
    expect(calls).toEqual([]);
  });

  it('asks nothing for anonymous visitors', async () => {
    const { result, calls } = run('/', false);
    expect((await result).unread).toBeNull();
    expect(calls).toEqual([]);
  });
});
