import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AnonymousPageCache, captureResponse, isCacheableRequest, isShareablePage, type CachedPage } from './page-cache.js';

const page = (body: string, headers: CachedPage['headers'] = { 'content-type': 'text/html' }, status = 200): CachedPage => ({
  status,
  headers,
  body: Buffer.from(body),
});
const req = (headers: Record<string, string>, url = '/t/1/a', method = 'GET') => ({ method, url, headers }) as unknown as IncomingMessage;

describe('AnonymousPageCache', () => {
  it('serves a stored page until it expires or is cleared', () => {
    const cache = new AnonymousPageCache(1000);
    expect(cache.set('/t/1', page('one'), cache.begin(), 0)).toBe(true);
    expect(cache.get('/t/1', 999)?.body.toString()).toBe('one');
    expect(cache.get('/t/1', 1000)).toBeUndefined();
    cache.set('/t/1', page('two'), cache.begin(), 0);
    cache.clear();
    expect(cache.get('/t/1', 1)).toBeUndefined();
  });

  it('refuses a page whose render began before a write cleared the cache (a reply is on the next read)', () => {
    const cache = new AnonymousPageCache();
    const startedAt = cache.begin();
    cache.clear();
    expect(cache.set('/t/1', page('stale'), startedAt, 0)).toBe(false);
    expect(cache.get('/t/1', 0)).toBeUndefined();
  });

  it('keeps at most maxEntries pages, dropping the oldest', () => {
    const cache = new AnonymousPageCache(10_000, 2);
    for (const key of ['/a', '/b', '/c']) cache.set(key, page(key), cache.begin(), 0);
    expect(cache.size).toBe(2);
    expect(cache.get('/a', 0)).toBeUndefined();
    expect(cache.get('/c', 0)?.body.toString()).toBe('/c');
  });
});

describe('what is cached', () => {
  it('only GETs of pages by visitors without a session or token', () => {
    expect(isCacheableRequest(req({}), 'praxis_session')).toBe(true);
    expect(isCacheableRequest(req({ cookie: 'theme=dark' }), 'praxis_session')).toBe(true);
    expect(isCacheableRequest(req({ cookie: 'theme=dark; praxis_session=abc' }), 'praxis_session')).toBe(false);
    expect(isCacheableRequest(req({ authorization: 'Bearer pxt_x' }), 'praxis_session')).toBe(false);
    expect(isCacheableRequest(req({}, '/t/1/a', 'POST'), 'praxis_session')).toBe(false);
    expect(isCacheableRequest(req({}, '/_app/immutable/x.js'), 'praxis_session')).toBe(false);
    expect(isCacheableRequest(req({}, '/socket.io/?EIO=4'), 'praxis_session')).toBe(false);
  });

  it('only plain 200 HTML or JSON that sets no cookie and may be stored', () => {
    expect(isShareablePage(page('x'))).toBe(true);
    expect(isShareablePage(page('x', { 'content-type': 'application/json' }))).toBe(true);
    expect(isShareablePage(page('x', { 'content-type': 'text/html' }, 404))).toBe(false);
    expect(isShareablePage(page('x', { 'content-type': 'text/html', 'set-cookie': ['a=b'] }))).toBe(false);
    expect(isShareablePage(page('x', { 'content-type': 'text/html', 'cache-control': 'private, no-store' }))).toBe(false);
    expect(isShareablePage(page('x', { 'content-type': 'image/png' }))).toBe(false);
  });
});

describe('captureResponse', () => {
  it('passes the response through and hands over status, headers and the whole body', async () => {
    let captured: CachedPage | undefined;
    const server = createServer((_request, response) => {
      captureResponse(response, (p) => (captured = p));
      response.setHeader('content-type', 'text/html');
      response.write('<p>');
      response.write(Buffer.from('hello'));
      response.end('</p>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const body = await new Promise<string>((resolve, reject) => {
      httpRequest({ host: '127.0.0.1', port, path: '/' }, (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve(text));
      })
        .on('error', reject)
        .end();
    });
    server.close();
    expect(body).toBe('<p>hello</p>');
    expect(captured?.status).toBe(200);
    expect(captured?.headers['content-type']).toBe('text/html');
    expect(captured?.body.toString()).toBe('<p>hello</p>');
  });
});
