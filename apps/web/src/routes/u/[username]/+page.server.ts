import { throwLoadError } from '$lib/server/forms';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
  const { data, error, response } = await locals.api.GET('/api/v1/users/{username}', { params: { path: { username: params.username } } });
  if (!data) throwLoadError(error, response);
  return { profile: data };
};
