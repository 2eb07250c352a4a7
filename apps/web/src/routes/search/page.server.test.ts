import { describe, expect, it } from 'vitest';
import { fakeApi } from '$lib/server/fake-api';
import { load } from './+page.server';

const communities = { status: 200, body: { items: [{ slug: 'beer', name: 'Beer', description: '' }] } };
const run = (url: string, answers: Parameters<typeof fakeApi>[0]) => {
  const { api, calls } = fakeApi({ 'GET /api/v1/communities': communities, ...answers });
  const event = { locals: { api, viewer: null }, url: new URL(url, 'http://localhost') };
  return { result: (load as unknown as (e: typeof event) => Promise<Record<string, unknown>>)(event), calls };
};

describe('/search load', () => {
  it('does not search without words, but lists the communities for the form', async () => {
    const { result, calls } = run('/search', {});
    expect(await result).toMatchObject({ results: null, problem: null, communities: [{ slug: 'beer', name: 'Beer' }] });
    expect(calls.map((c) => c.path)).toEqual(['/api/v1/communities']);
  });

  it('passes the query and filters on', async () => {
    const results = { items: [], total: 0, nextCursor: null, facets: { communities: [], tags: [], status: [] } };
    const { result, calls } = run('/search?q=hops&community=beer&tag=IPA&status=solved&cursor=20', {
      'GET /api/v1/search': { status: 200, body: results },
    });
    expect(await result).toMatchObject({ results, problem: null });
    expect(calls.find((c) => c.path === '/api/v1/search')?.init).toEqual({
      params: { query: { q: 'hops', limit: 20, community: 'beer', tag: 'ipa', status: 'solved', cursor: '20' } },
    });
  });

  it('says search is unavailable when the API answers 503', async () => {
    const { result } = run('/search?q=hops', {
      'GET /api/v1/search': { status: 503, body: { type: 'x', title: 'Search is unavailable', status: 503, code: 'SEARCH_UNAVAILABLE' } },
    });
    expect(await result).toMatchObject({ results: null, problem: { kind: 'unavailable' } });
  });

  it('shows why a filter is refused (an unknown community)', async () => {
    const { result } = run('/search?q=hops&community=wine', {
      'GET /api/v1/search': {
        status: 404,
        body: { type: 'x', title: 'Not found', status: 404, code: 'NOT_FOUND', detail: 'No community "wine"' },
      },
    });
    expect(await result).toMatchObject({ problem: { kind: 'invalid', message: 'No community "wine"' } });
  });

  it('starts again from the first page when a cursor is refused', async () => {
    const { result } = run('/search?q=hops&cursor=99999', {
      'GET /api/v1/search': { status: 400, body: { type: 'x', title: 'Bad', status: 400, code: 'VALIDATION_FAILED' } },
    });
    await expect(result).rejects.toMatchObject({ status: 303, location: '/search?q=hops' });
  });
});
