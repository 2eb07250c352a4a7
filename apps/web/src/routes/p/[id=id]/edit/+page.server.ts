import { error, redirect } from '@sveltejs/kit';
import { parseTags, threadPath } from '$lib/format';
import { failWith, field, throwLoadError } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
  if (!locals.viewer) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
  const id = Number(params.id);
  const post = await locals.api.GET('/api/v1/posts/{id}', { params: { path: { id } } });
  if (!post.data) throwLoadError(post.error, post.response);
  if (!post.data.abilities.edit) error(403, { message: 'You can only edit your own posts.', code: 'FORBIDDEN' });
  const thread = await locals.api.GET('/api/v1/threads/{id}', { params: { path: { id: post.data.threadId }, query: { limit: 1 } } });
  if (!thread.data) throwLoadError(thread.error, thread.response);
  return {
    post: post.data,
    thread: {
      id: thread.data.id,
      title: thread.data.title,
      tags: thread.data.tags,
      community: thread.data.community,
      editable: thread.data.abilities.edit,
    },
  };
};

export const actions: Actions = {
  default: async ({ locals, params, request }) => {
    const form = await request.formData();
    const values = {
      body: field(form, 'body', { trim: false }),
      reason: field(form, 'reason'),
      title: field(form, 'title'),
      tags: field(form, 'tags'),
    };
    const id = Number(params.id);
    const threadId = Number(field(form, 'threadId'));
    // Editing the question: title and tags live on the thread, the text on the opening post.
    if (values.title && threadId > 0) {
      const edited = await locals.api.PATCH('/api/v1/threads/{id}', {
        params: { path: { id: threadId } },
        body: { title: values.title, tags: parseTags(values.tags) },
      });
      if (!edited.data) return failWith(edited.error, edited.response, { values, labels: { title: 'The title', tags: 'Tags' } });
    }
    const {
      data,
      error: problem,
      response,
    } = await locals.api.PATCH('/api/v1/posts/{id}', {
      params: { path: { id } },
      body: { body: values.body, ...(values.reason && { reason: values.reason }) },
    });
    if (!data) return failWith(problem, response, { values, labels: { body: 'The post', reason: 'The reason' } });
    const thread = await locals.api.GET('/api/v1/threads/{id}', { params: { path: { id: data.threadId }, query: { limit: 1 } } });
    redirect(303, `${thread.data ? threadPath(thread.data) : `/t/${data.threadId}`}#post-${data.id}`);
  },
};
