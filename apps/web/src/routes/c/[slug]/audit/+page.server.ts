import { error, redirect } from '@sveltejs/kit';
import { throwLoadError } from '$lib/server/forms';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
  if (!locals.viewer) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
  const cursor = url.searchParams.get('cursor') || undefined;
  const [log, community] = await Promise.all([
    locals.api.GET('/api/v1/communities/{slug}/audit', { params: { path: { slug: params.slug }, query: { ...(cursor && { cursor }) } } }),
    locals.api.GET('/api/v1/communities/{slug}', { params: { path: { slug: params.slug } } }),
  ]);
  if (!log.data || !community.data) {
    if (log.response.status === 403)
      error(403, { message: 'Only the leaders and moderators of this community can read its moderation log.', code: 'FORBIDDEN' });
    throwLoadError(log.error ?? community.error, log.data ? community.response : log.response);
  }
  return { log: log.data, community: { slug: community.data.slug, name: community.data.name }, cursor: cursor ?? null };
};
