import { error, redirect } from '@sveltejs/kit';
import { failWith, idField, throwLoadError } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

/** How long the oldest unpublished event may wait before the page asks whether the worker is running. */
const STALE_BACKLOG_MS = 5 * 60_000;

const NOT_FOUND = { message: 'We could not find that page.', code: 'NOT_FOUND' };

/** Admins only: anonymous visitors are sent to sign in; everyone else gets the same 404 as a missing page. */
function requireAdmin(locals: App.Locals, url: URL): void {
  if (!locals.viewer) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
  if (locals.viewer.role !== 'admin') error(404, NOT_FOUND);
}

export const load: PageServerLoad = async ({ locals, url, depends }) => {
  requireAdmin(locals, url);
  depends('praxis:pipeline');
  const [status, letters] = await Promise.all([locals.api.GET('/api/v1/admin/pipeline'), locals.api.GET('/api/v1/admin/dead-letters')]);
  // An admin the API refuses (a suspended one) is treated like any other non-admin.
  if (status.response.status === 403 || letters.response.status === 403) error(404, NOT_FOUND);
  if (!status.data) throwLoadError(status.error, status.response);
  if (!letters.data) throwLoadError(letters.error, letters.response);
  const pipeline = status.data;
  const oldest = pipeline.outbox.oldestPendingAt ? Date.parse(pipeline.outbox.oldestPendingAt) : null;
  return {
    pipeline,
    deadLetters: letters.data.items,
    backlogStale: oldest !== null && Date.now() - oldest > STALE_BACKLOG_MS,
  };
};

export const actions: Actions = {
  retry: async ({ locals, request, url }) => {
    requireAdmin(locals, url);
    const id = idField(await request.formData(), 'id');
    if (!id) return failWith({ status: 400, title: 'Choose a job to retry', code: 'VALIDATION_FAILED' }, undefined);
    const { data, error: problem, response } = await locals.api.POST('/api/v1/admin/dead-letters/{id}/retry', { params: { path: { id } } });
    if (!data) return failWith(problem, response, { values: { id: String(id) }, fields: [] });
    return { retried: id };
  },

  reindex: async ({ locals, url }) => {
    requireAdmin(locals, url);
    const { data, error: problem, response } = await locals.api.POST('/api/v1/admin/search/reindex');
    if (!data) return failWith(problem, response);
    return { reindexing: true as const };
  },
};
