import { redirect } from '@sveltejs/kit';
import { failWith, throwLoadError } from '$lib/server/forms';
import { stampUnread } from '$lib/server/unread';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, depends }) => {
  if (!locals.viewer) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  depends('praxis:notifications');
  const cursor = url.searchParams.get('cursor') || undefined;
  const { data, error, response } = await locals.api.GET('/api/v1/notifications', {
    params: { query: { limit: 20, ...(cursor && { cursor }) } },
  });
  if (!data) {
    // A stale or hand-edited cursor: start from the newest rather than failing.
    if (cursor && response.status === 400) redirect(303, '/notifications');
    throwLoadError(error, response);
  }
  return { notifications: data, cursor: cursor ?? null, unread: stampUnread(data.unreadCount) };
};

export const actions: Actions = {
  readAll: async ({ locals, url }) => {
    if (!locals.viewer) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
    const { data, error, response } = await locals.api.POST('/api/v1/notifications/read', { body: { all: true } });
    if (!data) return failWith(error, response);
    redirect(303, '/notifications');
  },
};
