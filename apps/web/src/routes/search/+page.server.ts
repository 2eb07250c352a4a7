import { redirect } from '@sveltejs/kit';
import { isProblem } from '$lib/server/api';
import { throwLoadError } from '$lib/server/forms';
import { readSearchParams, searchHref } from '$lib/search';
import type { SearchResults } from '$lib/types';
import type { PageServerLoad } from './$types';

export interface SearchProblem {
  /** unavailable: the search engine is down (503); invalid: the query or a filter is refused. */
  kind: 'unavailable' | 'invalid';
  message: string;
}

export const load: PageServerLoad = async ({ locals, url }) => {
  const query = readSearchParams(url.searchParams);
  const communitiesRequest = locals.api.GET('/api/v1/communities').then(
    (r) => (r.data?.items ?? []).map(({ slug, name }) => ({ slug, name })),
    () => [],
  );
  let results: SearchResults | null = null;
  let problem: SearchProblem | null = null;

  // Guides first, on the first page only; a failed guide lookup just leaves them out.
  const guidesRequest =
    query.q && !query.cursor
      ? locals.api
          .GET('/api/v1/guides/search', {
            params: { query: { q: query.q.slice(0, 200), limit: 3, ...(query.community && { community: query.community }) } },
          })
          .then(
            (r) => r.data?.items ?? [],
            () => [],
          )
      : Promise.resolve([]);
  if (query.q) {
    const { data, error, response } = await locals.api.GET('/api/v1/search', {
      params: {
        query: {
          q: query.q,
          limit: 20,
          ...(query.community && { community: query.community }),
          ...(query.tag && { tag: query.tag }),
          ...(query.status && { status: query.status }),
          ...(query.cursor && { cursor: query.cursor }),
        },
      },
    });
    if (data) results = data;
    else if (response.status === 503)
      problem = { kind: 'unavailable', message: 'Search is unavailable right now. Please try again in a moment.' };
    else if (query.cursor && response.status === 400) redirect(303, searchHref(query, { cursor: null }));
    else if (response.status === 400 || response.status === 404) {
      problem = { kind: 'invalid', message: (isProblem(error) && (error.detail || error.title)) || 'That search is not valid.' };
    } else throwLoadError(error, response);
  }

  return { query, results, problem, communities: await communitiesRequest, guides: await guidesRequest };
};
