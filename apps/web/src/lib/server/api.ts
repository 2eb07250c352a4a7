import { createApiClient, type ApiClient, type Problem } from '@praxis/api-client';
import type { Cookies } from '@sveltejs/kit';
import { parseSetCookie } from './set-cookie';

export const SESSION_COOKIE = 'praxis_session';

/*
 * Where the API listens (loopback in the embedded mode) and the origin browsers use. Read from
 * process.env on every call (the embedded API sets them just before it loads this app). Not
 * `$env/dynamic/private`: SvelteKit leaves PUBLIC_* variables out of it.
 */
export function apiUrl(): string {
  return (process.env.API_URL || 'http://127.0.0.1:3000').replace(/\/+$/, '');
}

export function publicOrigin(): string {
  const raw = process.env.PUBLIC_ORIGIN || 'http://localhost:3000';
  try {
    return new URL(raw).origin;
  } catch {
    return raw.replace(/\/+$/, '');
  }
}

/** Set by the embedded API before it loads this app (apps/api/src/in-process-fetch.ts): its routes, without loopback HTTP. */
const IN_PROCESS_FETCH = Symbol.for('praxis.api.fetch');

/** The fetch that reaches the API: in-process when the API embeds this app, HTTP to API_URL otherwise. */
export function apiFetch(): typeof fetch {
  const inProcess = (globalThis as Record<symbol, unknown>)[IN_PROCESS_FETCH];
  return typeof inProcess === 'function' ? (inProcess as typeof fetch) : globalThis.fetch;
}

export interface RequestIdentity {
  /** The browser's praxis_session cookie, if any. */
  session: string | undefined;
  /** The visitor's address, so the API's rate limits see the real client. */
  clientAddress: string | undefined;
  userAgent?: string | null;
}

/**
 * A client for ONE request. It carries that visitor's session cookie, address and the public Origin
 * (the API refuses cookie-authenticated writes from any other origin). Never share it between requests.
 */
export function createRequestApi(identity: RequestIdentity, fetchImpl: typeof fetch = apiFetch()): ApiClient {
  const headers: Record<string, string> = { origin: publicOrigin(), accept: 'application/json' };
  if (identity.session) headers.cookie = `${SESSION_COOKIE}=${identity.session}`;
  if (identity.clientAddress) headers['x-forwarded-for'] = identity.clientAddress;
  if (identity.userAgent) headers['user-agent'] = identity.userAgent;
  return createApiClient({ baseUrl: apiUrl(), fetch: fetchImpl, headers });
}

/** Copies the session the API just set (login / register) onto the browser, on our own origin. */
export function forwardSessionCookie(response: Response, cookies: Cookies): boolean {
  for (const header of response.headers.getSetCookie()) {
    const parsed = parseSetCookie(header);
    if (!parsed || parsed.name !== SESSION_COOKIE) continue;
    if (!parsed.value) {
      clearSessionCookie(cookies);
      return false;
    }
    cookies.set(SESSION_COOKIE, parsed.value, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: publicOrigin().startsWith('https:'),
      ...(parsed.expires && { expires: parsed.expires }),
      ...(parsed.maxAge !== undefined && { maxAge: parsed.maxAge }),
    });
    return true;
  }
  return false;
}

export function clearSessionCookie(cookies: Cookies): void {
  cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: publicOrigin().startsWith('https:') });
}

/** Is this an RFC 9457 problem from the API? */
export function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && 'status' in value && 'title' in value;
}
