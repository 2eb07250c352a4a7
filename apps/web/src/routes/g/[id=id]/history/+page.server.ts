import { fail, redirect } from '@sveltejs/kit';
import { failWith, idField, throwLoadError } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
  const id = Number(params.id);
  const [guide, revisions] = await Promise.all([
    locals.api.GET('/api/v1/guides/{id}', { params: { path: { id } } }),
    locals.api.GET('/api/v1/guides/{id}/revisions', { params: { path: { id } } }),
  ]);
  if (!guide.data) throwLoadError(guide.error, guide.response);
  if (!revisions.data) throwLoadError(revisions.error, revisions.response);
  const items = revisions.data.items;
  // Default comparison: the previous revision against the current one.
  const to = Number(url.searchParams.get('to')) || items[0]?.revision || 1;
  const from = Number(url.searchParams.get('from')) || items[1]?.revision || to;
  const diff = from !== to ? await locals.api.GET('/api/v1/guides/{id}/diff', { params: { path: { id }, query: { from, to } } }) : null;
  return { guide: guide.data, revisions: items, from, to, diff: diff?.data ?? null };
};

export const actions: Actions = {
  restore: async ({ locals, params, request }) => {
    const revision = idField(await request.formData(), 'revision');
    if (revision === null) return fail(400, { errors: {}, message: 'Pick a revision to restore.' });
    const {
      data,
      error: problem,
      response,
    } = await locals.api.POST('/api/v1/guides/{id}/restore', { params: { path: { id: Number(params.id) } }, body: { revision } });
    if (!data) return failWith(problem, response);
    redirect(303, `/g/${data.id}/history`);
  },
};
