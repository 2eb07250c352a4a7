import { redirect } from '@sveltejs/kit';
import { throwLoadError } from '$lib/server/forms';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, depends }) => {
  if (!locals.viewer) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  depends('praxis:questions');
  const cursor = url.searchParams.get('cursor') || undefined;
  const { data, error, response } = await locals.api.GET('/api/v1/me/matches', {
    params: { query: { limit: 20, ...(cursor && { cursor }) } },
  });
  if (!data) {
    // A stale or hand-edited cursor: start from the newest rather than failing.
    if (cursor && response.status === 400) redirect(303, '/questions');
    throwLoadError(error, response);
  }
  return { matches: data, cursor: cursor ?? null };
};
