import { error, redirect } from '@sveltejs/kit';
import { failWith, field, throwLoadError } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
  if (!locals.viewer) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
  const {
    data,
    error: problem,
    response,
  } = await locals.api.GET('/api/v1/communities/{slug}', { params: { path: { slug: params.slug } } });
  if (!data) throwLoadError(problem, response);
  if (!data.abilities.edit)
    error(403, { message: 'Only the leaders and moderators of this community can edit its charter.', code: 'FORBIDDEN' });
  return { community: data };
};

export const actions: Actions = {
  default: async ({ locals, params, request }) => {
    const form = await request.formData();
    const values = { name: field(form, 'name'), description: field(form, 'description'), charter: field(form, 'charter', { trim: false }) };
    const holdFirstPosts = field(form, 'holdFirstPosts') === 'on';
    const {
      data,
      error: problem,
      response,
    } = await locals.api.PATCH('/api/v1/communities/{slug}', {
      params: { path: { slug: params.slug } },
      body: { ...values, holdFirstPosts },
    });
    if (!data) return failWith(problem, response, { values });
    redirect(303, `/c/${data.slug}`);
  },
};
