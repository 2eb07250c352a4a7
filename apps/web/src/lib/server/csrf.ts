/** Pure same-origin check for form posts (no SvelteKit imports, so it is unit-testable). */

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);

/**
 * True when a browser form submission comes from another site. SvelteKit's own origin check is off
 * (svelte.config.js) because, when the API embeds this app, the request URL's scheme is guessed, so a
 * form post must instead come from the public origin or from the host it was sent to. Requests that a
 * plain HTML form cannot make (JSON, GET) are not this check's business.
 */
export function isCrossSiteForm(request: Request, publicOrigin: string): boolean {
  if (!UNSAFE.has(request.method.toUpperCase())) return false;
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!FORM_TYPES.has(type)) return false;
  const origin = request.headers.get('origin');
  if (!origin || origin === 'null') return true;
  if (origin === publicOrigin) return false;
  const host = request.headers.get('host');
  try {
    return !host || new URL(origin).host !== host.toLowerCase();
  } catch {
    return true;
  }
}
