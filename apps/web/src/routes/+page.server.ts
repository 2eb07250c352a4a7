import { throwLoadError } from '$lib/server/forms';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  const api = locals.api;
  const [communities, latest, unanswered] = await Promise.all([
    api.GET('/api/v1/communities'),
    api.GET('/api/v1/threads', { params: { query: { sort: 'latest', limit: 10 } } }),
    api.GET('/api/v1/threads', { params: { query: { sort: 'unanswered', limit: 8 } } }),
  ]);
  if (!communities.data) throwLoadError(communities.error, communities.response);
  if (!latest.data) throwLoadError(latest.error, latest.response);
  if (!unanswered.data) throwLoadError(unanswered.error, unanswered.response);
  return {
    communities: communities.data.items,
    latest: latest.data.items,
    unanswered: unanswered.data.items,
  };
};
