import { describe, expect, it } from 'vitest';
import { fakeApi } from '$lib/server/fake-api';
import { GET } from './+server';

const call = async (title: string, answers: Parameters<typeof fakeApi>[0] = {}) => {
  const { api, calls } = fakeApi(answers);
  const url = new URL(`/ask/similar?title=${encodeURIComponent(title)}`, 'http://localhost');
  const response = await (GET as unknown as (e: object) => Promise<Response>)({ locals: { api, viewer: null }, url });
  return { response, body: (await response.json()) as { items: unknown[]; unavailable?: boolean }, calls };
};

describe('GET /ask/similar', () => {
  it('does not ask the API about a title shorter than 8 characters', async () => {
    const { response, body, calls } = await call('  short  ');
    expect(response.status).toBe(200);
    expect(body.items).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('returns the API’s similar threads for the trimmed title', async () => {
    const items = [
      { id: 3, title: 'How long to age a barleywine?', status: 'solved', replyCount: 2, community: { slug: 'beer', name: 'Beer' } },
    ];
    const { response, body, calls } = await call('  how long should I age barleywine ', {
      'GET /api/v1/threads/similar': { status: 200, body: { items } },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('private');
    expect(body.items).toEqual(items);
    expect(calls[0]?.init).toEqual({ params: { query: { title: 'how long should I age barleywine', limit: 5 } } });
  });

  it('passes on that search is unavailable', async () => {
    const { response, body } = await call('how long should I age barleywine', {
      'GET /api/v1/threads/similar': { status: 503, body: { title: 'down', status: 503 } },
    });
    expect(response.status).toBe(503);
    expect(body).toEqual({ items: [], unavailable: true });
  });
});
