import { describe, expect, it } from 'vitest';
import { fakeApi, viewer } from '$lib/server/fake-api';
import { load } from './+page.server';

const thread = {
  id: 12,
  title: 'Dry hop timing',
  community: { id: 1, slug: 'beer', name: 'Beer' },
  posts: [{ id: 40, number: 1 }],
  nextCursor: null,
  abilities: { moderate: false },
};
const page = {
  thread,
  solution: null,
  solutionOnPage: false,
  watch: { level: 'tracking', isDefault: true },
  matching: null,
  guides: { cited: [], drafts: [], canCurate: false },
  moveTargets: [],
  unreadCount: 3,
};
const run = (url: string, signedIn = true) => {
  const { api, calls } = fakeApi({ 'GET /api/v1/threads/{id}/page': { status: 200, body: page } });
  const event = {
    locals: { api, viewer: signedIn ? viewer : null },
    params: { id: '12', slug: 'dry-hop-timing' },
    url: new URL(url, 'http://localhost'),
    depends: () => {},
  };
  return { result: (load as unknown as (e: typeof event) => Promise<Record<string, unknown>>)(event), calls };
};

describe('thread page load', () => {
  it('is one API call, a read: the page read model (no marking read, no refetch of the viewer)', async () => {
    const { result, calls } = run('/t/12/dry-hop-timing');
    expect(await result).toMatchObject({ thread, watch: page.watch, unread: { count: 3 }, cursor: null });
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /api/v1/threads/{id}/page']);
    expect(calls[0]!.init).toEqual({ params: { path: { id: 12 }, query: {} } });
  });

  it('passes the page of posts on, and is the same one call for anonymous readers', async () => {
    const { result, calls } = run('/t/12/dry-hop-timing?cursor=abc', false);
    expect(await result).toMatchObject({ cursor: 'abc', isMember: false });
    expect(calls.map((c) => c.init)).toEqual([{ params: { path: { id: 12 }, query: { cursor: 'abc' } } }]);
  });
});
