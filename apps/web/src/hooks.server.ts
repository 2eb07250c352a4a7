import type { Handle, HandleServerError } from '@sveltejs/kit';
import { clearSessionCookie, createRequestApi, publicOrigin, SESSION_COOKIE } from '$lib/server/api';
import { isCrossSiteForm } from '$lib/server/csrf';

export const handle: Handle = async ({ event, resolve }) => {
  if (isCrossSiteForm(event.request, publicOrigin())) {
    return new Response('Cross-site form submissions are forbidden', { status: 403, headers: { 'content-type': 'text/plain' } });
  }

  const session = event.cookies.get(SESSION_COOKIE);
  let clientAddress: string | undefined;
  try {
    clientAddress = event.getClientAddress();
  } catch {
    clientAddress = undefined;
  }
  event.locals.api = createRequestApi({ session, clientAddress, userAgent: event.request.headers.get('user-agent') });
  event.locals.viewer = null;

  if (session) {
    try {
      const { data, response } = await event.locals.api.GET('/api/v1/me');
      if (data) event.locals.viewer = data;
      else if (response.status === 401) clearSessionCookie(event.cookies); // expired or revoked: forget it
    } catch (err) {
      console.error('[web] could not resolve the viewer', err);
    }
  }

  const response = await resolve(event);
  try {
    response.headers.set('x-content-type-options', 'nosniff');
    response.headers.set('referrer-policy', 'strict-origin-when-cross-origin');
  } catch {
    // immutable headers (a fetched response passed through): leave them
  }
  return response;
};

export const handleError: HandleServerError = ({ error, status, message }) => {
  if (status >= 500) console.error('[web]', error);
  return { message: status === 404 ? 'We could not find that page.' : message };
};
