import { describe, expect, it } from 'vitest';
import { createApiClient } from './index.js';

describe('createApiClient', () => {
  it('builds typed paths against the base URL and passes per-client headers', async () => {
    const seen: Request[] = [];
    const fakeFetch = async (input: Request) => {
      seen.push(input);
      return new Response(JSON.stringify({ status: 'ok' }), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const client = createApiClient({
      baseUrl: 'http://api.test',
      fetch: fakeFetch as typeof fetch,
      headers: { origin: 'http://web.test' },
    });
    const { data } = await client.GET('/api/v1/threads/{id}', { params: { path: { id: 42 } } });
    expect(seen[0]?.url).toBe('http://api.test/api/v1/threads/42');
    expect(seen[0]?.headers.get('origin')).toBe('http://web.test');
    expect(data).toEqual({ status: 'ok' });
  });
});
