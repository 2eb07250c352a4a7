import { redirect } from '@sveltejs/kit';
import { throwLoadError } from '$lib/server/forms';
import { isLevel } from '$lib/health';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
  const levelParam = url.searchParams.get('level');
  const level = isLevel(levelParam) ? levelParam : undefined;
  const cursor = url.searchParams.get('cursor') || undefined;
  const [community, members] = await Promise.all([
    locals.api.GET('/api/v1/communities/{slug}', { params: { path: { slug: params.slug } } }),
    locals.api.GET('/api/v1/communities/{slug}/members', {
      params: { path: { slug: params.slug }, query: { limit: 30, ...(level && { level }), ...(cursor && { cursor }) } },
    }),
  ]);
  if (!community.data) throwLoadError(community.error, community.response);
  if (!members.data) {
    if (cursor && members.response.status === 400) redirect(303, `/c/${params.slug}/members${level ? `?level=${level}` : ''}`);
    throwLoadError(members.error, members.response);
  }
  return { community: community.data, members: members.data, level: level ?? null, cursor: cursor ?? null };
};
