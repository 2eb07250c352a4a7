import { fail } from '@sveltejs/kit';
import { failWith, throwLoadError } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
  const { data, error: problem, response } = await locals.api.GET('/api/v1/guides/{id}', { params: { path: { id: Number(params.id) } } });
  if (!data) throwLoadError(problem, response);
  return { guide: data };
};

const step = (path: '/api/v1/guides/{id}/submit' | '/api/v1/guides/{id}/approve' | '/api/v1/guides/{id}/verify', done: string) =>
  (async ({ locals, params }) => {
    if (!locals.viewer) return fail(401, { errors: {}, message: 'Sign in first.' });
    const { data, error: problem, response } = await locals.api.POST(path, { params: { path: { id: Number(params.id) } } });
    if (!data) return failWith(problem, response);
    return { done };
  }) satisfies Actions[string];

export const actions: Actions = {
  submit: step('/api/v1/guides/{id}/submit', 'Sent to review. Another leader or moderator can now approve it.'),
  approve: step('/api/v1/guides/{id}/approve', 'Published. The credited authors are told.'),
  verify: step('/api/v1/guides/{id}/verify', 'Verified. The next review is in 180 days.'),
};
