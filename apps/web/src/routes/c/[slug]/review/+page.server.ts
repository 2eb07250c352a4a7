import { error, redirect } from '@sveltejs/kit';
import { endOfDay, isReviewAction } from '$lib/moderation';
import { failWith, field, idField, throwLoadError } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url, depends }) => {
  depends('praxis:review');
  if (!locals.viewer) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
  const cursor = url.searchParams.get('cursor') || undefined;
  const {
    data,
    error: problem,
    response,
  } = await locals.api.GET('/api/v1/communities/{slug}/review', {
    params: { path: { slug: params.slug }, query: { ...(cursor && { cursor }) } },
  });
  if (!data) {
    if (response.status === 403)
      error(403, { message: 'Only the leaders and moderators of this community can work its review queue.', code: 'FORBIDDEN' });
    throwLoadError(problem, response);
  }
  return { queue: data, cursor: cursor ?? null };
};

export const actions: Actions = {
  default: async ({ locals, request, url }) => {
    if (!locals.viewer) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
    const form = await request.formData();
    const postId = idField(form, 'postId');
    const action = field(form, 'action');
    const values = { postId: String(postId ?? ''), until: field(form, 'until'), reason: field(form, 'reason') };
    if (!postId || !isReviewAction(action))
      return failWith({ status: 400, title: 'Choose what to do with this post', code: 'VALIDATION_FAILED' }, undefined, {
        values,
        fields: [],
      });
    let until: string | undefined;
    if (action === 'suspend') {
      const end = endOfDay(values.until);
      if (!end)
        return failWith(
          {
            status: 400,
            title: 'Pick the last day of the suspension',
            code: 'VALIDATION_FAILED',
            errors: { until: 'Pick the last day of the suspension' },
          },
          undefined,
          { values, fields: ['until', 'reason'] },
        );
      if (!values.reason)
        return failWith(
          {
            status: 400,
            title: 'Say why; the member will see it',
            code: 'VALIDATION_FAILED',
            errors: { reason: 'Say why; the member will see it' },
          },
          undefined,
          { values, fields: ['until', 'reason'] },
        );
      until = end;
    }
    const {
      data,
      error: problem,
      response,
    } = await locals.api.POST('/api/v1/posts/{id}/review', {
      params: { path: { id: postId } },
      body: { action, ...(until && { until }), ...(values.reason && { reason: values.reason }) },
    });
    if (!data)
      return failWith(problem, response, { values, labels: { until: 'Suspend until', reason: 'Reason' }, fields: ['until', 'reason'] });
    return { done: { postId, action } };
  },
};
