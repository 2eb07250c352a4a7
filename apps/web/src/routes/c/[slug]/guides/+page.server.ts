import { throwLoadError } from '$lib/server/forms';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
  const tag = url.searchParams.get('tag') || undefined;
  const cursor = url.searchParams.get('cursor') || undefined;
  const {
    data,
    error: problem,
    response,
  } = await locals.api.GET('/api/v1/communities/{slug}/guides', {
    params: { path: { slug: params.slug }, query: { ...(tag && { tag }), ...(cursor && { cursor }) } },
  });
  if (!data) throwLoadError(problem, response);
  return { library: data, tag: tag ?? null };
};
