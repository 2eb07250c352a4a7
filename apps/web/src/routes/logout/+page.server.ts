import { redirect } from '@sveltejs/kit';
import { clearSessionCookie } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
  if (!locals.viewer) redirect(303, '/');
  return {};
};

export const actions: Actions = {
  default: async ({ locals, cookies, request }) => {
    // "Sign out of all sessions" ends every session of the account (other browsers, devices), and closes their live connections.
    const allSessions = (await request.formData()).get('scope') === 'all';
    try {
      // End the session on the API too, so the token is useless even if it leaked.
      await locals.api.POST('/api/v1/auth/logout', { body: { allSessions } });
    } catch (err) {
      console.error('[web] logout: the API could not be reached', err);
    }
    clearSessionCookie(cookies);
    redirect(303, '/');
  },
};
