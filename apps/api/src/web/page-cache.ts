import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

export interface CachedPage {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

/**
 * Anonymous web pages (HTML and SvelteKit's __data.json), rendered once and served to every visitor without a
 * session until something changes. Any accepted write on this node and any thread event from the bus (other
 * nodes' writes, as the worker publishes them) drop every entry; the short TTL bounds what a missed event can
 * cost. A render that started before a drop is not stored (the generation moved on), so a reply is on the next read.
 */
export class AnonymousPageCache {
  private readonly entries = new Map<string, { page: CachedPage; expiresAt: number }>();
  private generation = 0;

  constructor(
    private readonly ttlMs = 5_000,
    private readonly maxEntries = 500,
    private readonly maxBytes = 1_000_000,
  ) {}

  get(key: string, now: number): CachedPage | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.page;
  }

  /** The token a render takes at its start; `set` refuses a page rendered across a `clear`. */
  begin(): number {
    return this.generation;
  }

  set(key: string, page: CachedPage, startedAt: number, now: number): boolean {
    if (startedAt !== this.generation || page.body.length > this.maxBytes) return false;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { page, expiresAt: now + this.ttlMs });
    return true;
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Cacheable: a GET of a page (not a built asset or the socket.io endpoint) by a visitor without a session. */
export function isCacheableRequest(request: IncomingMessage, sessionCookie: string): boolean {
  if (request.method !== 'GET') return false;
  const url = request.url ?? '';
  if (url.startsWith('/_app/') || url.startsWith('/socket.io')) return false;
  if (request.headers.authorization) return false;
  const cookie = request.headers.cookie ?? '';
  return !cookie.split(';').some((part) => part.trim().startsWith(`${sessionCookie}=`));
}

/** Collects what a handler writes to `response` (passing it through unchanged) and hands it over at the end. */
export function captureResponse(response: ServerResponse, onEnd: (page: CachedPage) => void): void {
  const chunks: Buffer[] = [];
  const write = response.write.bind(response) as (...args: unknown[]) => boolean;
  const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
  const keep = (chunk: unknown, encoding?: unknown) => {
    if (typeof chunk === 'string') chunks.push(Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
    else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
  };
  response.write = ((...args: unknown[]) => {
    keep(args[0], args[1]);
    return write(...args);
  }) as ServerResponse['write'];
  response.end = ((...args: unknown[]) => {
    if (args.length > 0 && typeof args[0] !== 'function') keep(args[0], args[1]);
    const result = end(...args);
    onEnd({ status: response.statusCode, headers: response.getHeaders(), body: Buffer.concat(chunks) });
    return result;
  }) as ServerResponse['end'];
}

/** Only a plain 200 page for everyone: nothing that sets a cookie, varies per visitor or says not to store it. */
export function isShareablePage(page: CachedPage): boolean {
  if (page.status !== 200 || page.headers['set-cookie'] !== undefined) return false;
  const cacheControl = String(page.headers['cache-control'] ?? '');
  if (/no-store|private/.test(cacheControl)) return false;
  const type = String(page.headers['content-type'] ?? '');
  return type.startsWith('text/html') || type.startsWith('application/json');
}
