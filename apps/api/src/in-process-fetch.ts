import type { FastifyInstance } from 'fastify';

/**
 * Where the embedded web app finds the API's in-process fetch (see apps/web/src/lib/server/api.ts). A well-known
 * symbol, so neither app imports the other: the API puts it on globalThis before it loads the web handler.
 */
export const IN_PROCESS_FETCH = Symbol.for('praxis.api.fetch');

const NO_BODY = new Set([101, 204, 205, 304]);

/**
 * A `fetch` answered by this Fastify instance without a socket (`app.inject`): the same routes, hooks, auth, CSRF
 * check and rate limits as over HTTP. Headers go through as they are (cookie, origin, x-forwarded-for); the inject's
 * peer is 127.0.0.1, a trusted proxy, so `request.ip` is the visitor's address the web app forwarded.
 */
export function inProcessFetch(app: FastifyInstance): typeof fetch {
  return async (input, init) => {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => (headers[key] = value));
    const payload = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const response = await app.inject({
      method: request.method as 'GET',
      url: url.pathname + url.search,
      headers,
      ...(payload && { payload }),
    });
    const out = new Headers();
    for (const [key, value] of Object.entries(response.headers)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) out.append(key, v);
      else out.set(key, String(value));
    }
    return new Response(NO_BODY.has(response.statusCode) || request.method === 'HEAD' ? null : response.rawPayload, {
      status: response.statusCode,
      headers: out,
    });
  };
}
