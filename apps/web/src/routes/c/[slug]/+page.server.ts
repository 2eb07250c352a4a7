import { redirect } from '@sveltejs/kit';
import { failWith, field, throwLoadError } from '$lib/server/forms';
import { isWatchLevel } from '$lib/watch';
import type { Actions, PageServerLoad } from './$types';

const SORTS = ['latest', 'unanswered', 'solved', 'top'] as const;
type Sort = (typeof SORTS)[number];
const isSort = (value: string | null): value is Sort => SORTS.includes(value as Sort);

export const load: PageServerLoad = async ({ locals, params, url }) => {
  const sortParam = url.searchParams.get('sort');
  const sort: Sort = isSort(sortParam) ? sortParam : 'latest';
  const tag = url.searchParams.get('tag')?.trim().toLowerCase() || undefined;
  const cursor = url.searchParams.get('cursor') || undefined;

  const signedIn = !!locals.viewer;
  const orNull = <T>(request: Promise<{ data?: T }>) =>
    request.then(
      (r) => r.data ?? null,
      () => null,
    );
  const [community, threads, watch, tagWatch] = await Promise.all([
    locals.api.GET('/api/v1/communities/{slug}', { params: { path: { slug: params.slug } } }),
    locals.api.GET('/api/v1/threads', {
      params: { query: { community: params.slug, sort, limit: 20, ...(tag && { tag }), ...(cursor && { cursor }) } },
    }),
    signedIn ? orNull(locals.api.GET('/api/v1/communities/{slug}/watch', { params: { path: { slug: params.slug } } })) : null,
    signedIn && tag
      ? orNull(locals.api.GET('/api/v1/communities/{slug}/tags/{tag}/watch', { params: { path: { slug: params.slug, tag } } }))
      : null,
  ]);
  if (!community.data) throwLoadError(community.error, community.response);
  if (!threads.data) {
    // A stale or hand-edited cursor: start again from the first page rather than failing.
    if (cursor && threads.response.status === 400) {
      const clean = new URL(url);
      clean.searchParams.delete('cursor');
      redirect(303, clean.pathname + clean.search);
    }
    throwLoadError(threads.error, threads.response);
  }
  return { community: community.data, threads: threads.data, sort, tag: tag ?? null, cursor: cursor ?? null, watch, tagWatch };
};

async function membership(kind: 'join' | 'leave', { locals, params }: { locals: App.Locals; params: { slug: string } }) {
  if (!locals.viewer) redirect(303, `/login?next=${encodeURIComponent(`/c/${params.slug}`)}`);
  const result =
    kind === 'join'
      ? await locals.api.POST('/api/v1/communities/{slug}/join', { params: { path: { slug: params.slug } } })
      : await locals.api.POST('/api/v1/communities/{slug}/leave', { params: { path: { slug: params.slug } } });
  // Already a member / not a member: the page is simply out of date, so show it fresh.
  if (!result.data && result.response.status !== 409) return failWith(result.error, result.response);
  redirect(303, `/c/${params.slug}`);
}

export const actions: Actions = {
  join: (event) => membership('join', event),
  leave: (event) => membership('leave', event),

  /** Watch level for the community, or (with a tag field) for one tag in it. */
  watch: async ({ locals, params, request, url }) => {
    if (!locals.viewer) redirect(303, `/login?next=${encodeURIComponent(`/c/${params.slug}`)}`);
    const form = await request.formData();
    const level = field(form, 'level');
    const tag = field(form, 'tag').toLowerCase();
    const values = { watch: level, watchTarget: tag ? 'tag' : 'community' };
    if (!isWatchLevel(level))
      return failWith({ status: 400, title: 'Choose how closely to follow this', code: 'VALIDATION_FAILED' }, undefined, {
        values,
        fields: [],
      });
    const result = tag
      ? await locals.api.PUT('/api/v1/communities/{slug}/tags/{tag}/watch', {
          params: { path: { slug: params.slug, tag } },
          body: { level },
        })
      : await locals.api.PUT('/api/v1/communities/{slug}/watch', { params: { path: { slug: params.slug } }, body: { level } });
    if (!result.data) return failWith(result.error, result.response, { values, fields: [] });
    // Back to the same list (sort, tag and page kept).
    const back = new URLSearchParams();
    for (const [key, value] of url.searchParams) if (!key.startsWith('/')) back.append(key, value);
    redirect(303, `/c/${params.slug}${back.size ? `?${back}` : ''}`);
  },
};
