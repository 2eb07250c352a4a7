import { throwLoadError } from '$lib/server/forms';
import type { PageServerLoad } from './$types';

/** The charter's history; ?from=&to= picks the two revisions to compare (default: the last change). */
export const load: PageServerLoad = async ({ locals, params, url }) => {
  const { data, error, response } = await locals.api.GET('/api/v1/communities/{slug}/charter/revisions', {
    params: { path: { slug: params.slug } },
  });
  if (!data) throwLoadError(error, response);
  const revisions = data.items.map((r) => r.revision);
  const pick = (name: string, fallback: number | undefined) => {
    const n = Number(url.searchParams.get(name));
    return Number.isInteger(n) && revisions.includes(n) ? n : fallback;
  };
  const to = pick('to', revisions[0]);
  const from = pick('from', revisions.find((r) => to !== undefined && r < to) ?? to);
  const diff =
    from !== undefined && to !== undefined
      ? ((await locals.api.GET('/api/v1/communities/{slug}/charter/diff', { params: { path: { slug: params.slug }, query: { from, to } } }))
          .data ?? null)
      : null;
  return { history: data, from: from ?? null, to: to ?? null, diff };
};
