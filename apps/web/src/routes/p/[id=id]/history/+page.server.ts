import { throwLoadError } from '$lib/server/forms';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
  const id = Number(params.id);
  const [post, revisions] = await Promise.all([
    locals.api.GET('/api/v1/posts/{id}', { params: { path: { id } } }),
    locals.api.GET('/api/v1/posts/{id}/revisions', { params: { path: { id } } }),
  ]);
  if (!post.data) throwLoadError(post.error, post.response);
  if (!revisions.data) throwLoadError(revisions.error, revisions.response);
  const thread = await locals.api.GET('/api/v1/threads/{id}', { params: { path: { id: post.data.threadId }, query: { limit: 1 } } });
  if (!thread.data) throwLoadError(thread.error, thread.response);
  const items = [...revisions.data.items].sort((a, b) => b.revision - a.revision);
  return { post: post.data, revisions: items, thread: { id: thread.data.id, title: thread.data.title } };
};
