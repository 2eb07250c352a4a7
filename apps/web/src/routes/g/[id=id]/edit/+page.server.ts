import { error, fail, redirect } from '@sveltejs/kit';
import { failWith, field, throwLoadError } from '$lib/server/forms';
import { parseTags } from '$lib/format';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
  if (!locals.viewer) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
  const { data, error: problem, response } = await locals.api.GET('/api/v1/guides/{id}', { params: { path: { id: Number(params.id) } } });
  if (!data) throwLoadError(problem, response);
  if (!data.abilities.edit)
    error(403, {
      message: 'Only the community’s leaders and moderators (and the guide’s owner, once it is published) can edit this guide.',
      code: 'FORBIDDEN',
    });
  return { guide: data };
};

export const actions: Actions = {
  /** Renders the body with the API's own renderer and sanitizer; works without JavaScript too. */
  preview: async ({ locals, request }) => {
    const form = await request.formData();
    const values = {
      title: field(form, 'title'),
      body: field(form, 'body', { trim: false }),
      tags: field(form, 'tags'),
      note: field(form, 'note'),
    };
    const { data, error: problem, response } = await locals.api.POST('/api/v1/guides/preview', { body: { body: values.body } });
    if (!data) return failWith(problem, response, { values });
    return { preview: data.html, values };
  },
  save: async ({ locals, params, request }) => {
    const form = await request.formData();
    const values = {
      title: field(form, 'title'),
      body: field(form, 'body', { trim: false }),
      tags: field(form, 'tags'),
      note: field(form, 'note'),
    };
    const errors: Record<string, string> = {};
    if (values.title.length < 3) errors.title = 'Give the guide a title of at least 3 characters';
    if (values.body.trim() === '') errors.body = 'The guide needs a body';
    if (Object.keys(errors).length > 0) return fail(400, { errors, values });
    const {
      data,
      error: problem,
      response,
    } = await locals.api.PATCH('/api/v1/guides/{id}', {
      params: { path: { id: Number(params.id) } },
      body: { title: values.title, body: values.body, tags: parseTags(values.tags), ...(values.note && { note: values.note }) },
    });
    if (!data) return failWith(problem, response, { values });
    redirect(303, `/g/${data.id}`);
  },
};
