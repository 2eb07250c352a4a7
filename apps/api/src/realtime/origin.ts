import type { IncomingHttpHeaders } from 'node:http';

/**
 * Browsers send Origin on every WebSocket handshake, and WebSockets are not covered by CORS: without this
 * check any site could open a socket that rides on the visitor's session cookie. No Origin at all is a
 * non-browser client (or a same-origin GET), which carries no ambient credentials to abuse.
 */
export function isSameOrigin(headers: IncomingHttpHeaders, publicOrigin: string): boolean {
  const origin = headers.origin;
  if (origin === undefined) return true;
  if (origin === publicOrigin) return true;
  try {
    return new URL(origin).host === headers.host;
  } catch {
    return false;
  }
}
