import { redirect, type RequestEvent } from '@sveltejs/kit';
import { isDeclineReason } from '$lib/expertise';
import { slugify, threadPath } from '$lib/format';
import { failWith, field, idField, throwLoadError } from '$lib/server/forms';
import { stampUnread } from '$lib/server/unread';
import { isFlagReason } from '$lib/moderation';
import { isWatchLevel } from '$lib/watch';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url, depends }) => {
  // 'praxis:thread' and 'praxis:unread': reloaded whole only after a reconnection (live events patch the page instead).
  depends('praxis:thread', 'praxis:unread');
  const id = Number(params.id);
  const cursor = url.searchParams.get('cursor') || undefined;
  // One read: everything the page shows (the layout's viewer came with the request; the unread count comes with this).
  const {
    data: page,
    error,
    response,
  } = await locals.api.GET('/api/v1/threads/{id}/page', { params: { path: { id }, query: { ...(cursor && { cursor }) } } });
  if (!page) {
    if (cursor && response.status === 400) redirect(303, threadPath({ id, title: params.slug ?? '' }));
    throwLoadError(error, response);
  }
  const thread = page.thread;

  // One canonical address per thread: /t/<id>/<slug-of-the-title>.
  const slug = slugify(thread.title);
  if (slug && params.slug !== slug) redirect(301, `${threadPath(thread)}${url.search}`);

  const isMember = locals.viewer?.memberships.some((m) => m.communityId === thread.community.id) ?? false;
  const suspendedUntil =
    locals.viewer?.suspendedUntil && new Date(locals.viewer.suspendedUntil) > new Date() ? locals.viewer.suspendedUntil : null;
  return {
    thread,
    solution: page.solution,
    solutionOnPage: page.solutionOnPage,
    isMember,
    cursor: cursor ?? null,
    unread: stampUnread(page.unreadCount ?? undefined),
    watch: page.watch,
    matching: page.matching,
    guides: page.guides,
    moveTargets: page.moveTargets,
    suspendedUntil,
  };
};

type Event = RequestEvent<{ id: string; slug?: string }>;

/** Back to this page (same page of posts, without the ?/action parameter), optionally at one post. */
function here(url: URL, postId?: number): string {
  const search = new URLSearchParams();
  for (const [key, value] of url.searchParams) if (!key.startsWith('/')) search.append(key, value);
  const qs = search.toString();
  return `${url.pathname}${qs ? `?${qs}` : ''}${postId ? `#post-${postId}` : ''}`;
}

function requireViewer({ locals, url }: Event) {
  if (!locals.viewer) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
}

async function postAction(
  event: Event,
  run: (postId: number) => Promise<{ data?: unknown; error?: unknown; response: Response }>,
  anchor = true,
) {
  requireViewer(event);
  const form = await event.request.formData();
  const postId = idField(form, 'postId');
  if (!postId) return failWith({ status: 400, title: 'Choose a post first', code: 'VALIDATION_FAILED' }, undefined);
  const { data, error, response } = await run(postId);
  if (data === undefined) return failWith(error, response, { values: { postId: String(postId) }, fields: [] });
  redirect(303, here(event.url, anchor ? postId : undefined));
}

export const actions: Actions = {
  reply: async (event) => {
    requireViewer(event);
    const { locals, params, request, url } = event;
    const form = await request.formData();
    const body = field(form, 'body', { trim: false });
    const replyToId = idField(form, 'replyToId');
    if (!body.trim())
      return failWith(
        { status: 400, title: 'Write something first', code: 'VALIDATION_FAILED', errors: { body: 'Write something first' } },
        undefined,
        { values: { body } },
      );
    const { data, error, response } = await locals.api.POST('/api/v1/threads/{id}/posts', {
      params: { path: { id: Number(params.id) } },
      body: { body, ...(replyToId && { replyToId }) },
    });
    if (!data) return failWith(error, response, { values: { body }, labels: { body: 'Your reply' } });
    redirect(303, here(url, data.id));
  },

  vote: (event) => postAction(event, (id) => event.locals.api.POST('/api/v1/posts/{id}/vote', { params: { path: { id } } })),
  unvote: (event) => postAction(event, (id) => event.locals.api.DELETE('/api/v1/posts/{id}/vote', { params: { path: { id } } })),
  hide: (event) =>
    postAction(event, (id) => event.locals.api.POST('/api/v1/posts/{id}/hide', { params: { path: { id } }, body: { hidden: true } })),
  unhide: (event) =>
    postAction(event, (id) => event.locals.api.POST('/api/v1/posts/{id}/hide', { params: { path: { id } }, body: { hidden: false } })),

  accept: (event) =>
    postAction(
      event,
      (postId) =>
        event.locals.api.POST('/api/v1/threads/{id}/solution', { params: { path: { id: Number(event.params.id) } }, body: { postId } }),
      false,
    ),

  unaccept: async (event) => {
    requireViewer(event);
    const { data, error, response } = await event.locals.api.DELETE('/api/v1/threads/{id}/solution', {
      params: { path: { id: Number(event.params.id) } },
    });
    if (!data) return failWith(error, response);
    redirect(303, here(event.url));
  },

  delete: async (event) => {
    requireViewer(event);
    const { locals, params, request, url } = event;
    const postId = idField(await request.formData(), 'postId');
    if (!postId) return failWith({ status: 400, title: 'Choose a post first', code: 'VALIDATION_FAILED' }, undefined);
    const threadId = Number(params.id);
    const before = await locals.api.GET('/api/v1/threads/{id}', { params: { path: { id: threadId }, query: { limit: 1 } } });
    const { data, error, response } = await locals.api.DELETE('/api/v1/posts/{id}', { params: { path: { id: postId } } });
    if (!data) return failWith(error, response, { values: { postId: String(postId) }, fields: [] });
    // Deleting the opening post deletes the thread: go back to its community.
    const after = await locals.api.GET('/api/v1/threads/{id}', { params: { path: { id: threadId }, query: { limit: 1 } } });
    if (!after.data) redirect(303, before.data ? `/c/${before.data.community.slug}` : '/');
    redirect(303, here(url));
  },

  watch: async (event) => {
    requireViewer(event);
    const { locals, params, request, url } = event;
    const level = field(await request.formData(), 'level');
    if (!isWatchLevel(level))
      return failWith({ status: 400, title: 'Choose how closely to follow this thread', code: 'VALIDATION_FAILED' }, undefined, {
        values: { watch: level },
      });
    const { data, error, response } = await locals.api.PUT('/api/v1/threads/{id}/watch', {
      params: { path: { id: Number(params.id) } },
      body: { level },
    });
    if (!data) return failWith(error, response, { values: { watch: level }, fields: [] });
    redirect(303, here(url));
  },

  decline: async (event) => {
    requireViewer(event);
    const { locals, params, request, url } = event;
    const reason = field(await request.formData(), 'reason');
    if (!isDeclineReason(reason))
      return failWith({ status: 400, title: 'Choose why you are declining', code: 'VALIDATION_FAILED' }, undefined, {
        values: { decline: reason },
        fields: [],
      });
    const { data, error, response } = await locals.api.POST('/api/v1/threads/{id}/match/decline', {
      params: { path: { id: Number(params.id) } },
      body: { reason },
    });
    if (!data) return failWith(error, response, { values: { decline: reason }, fields: [] });
    redirect(303, here(url));
  },

  join: async (event) => {
    requireViewer(event);
    const { locals, request, url } = event;
    const slug = field(await request.formData(), 'community');
    if (!slug) return failWith({ status: 400, title: 'Choose a community', code: 'VALIDATION_FAILED' }, undefined);
    const { data, error, response } = await locals.api.POST('/api/v1/communities/{slug}/join', { params: { path: { slug } } });
    if (!data && response.status !== 409) return failWith(error, response);
    redirect(303, `${here(url)}#reply`);
  },
  startGuide: async (event) => {
    requireViewer(event);
    const { locals, params, request } = event;
    const postId = idField(await request.formData(), 'postId');
    if (postId === null)
      return failWith({ status: 400, title: 'Choose an answer', code: 'VALIDATION_FAILED' }, undefined, { values: { guide: '1' } });
    const { data: thread } = await locals.api.GET('/api/v1/threads/{id}', { params: { path: { id: Number(params.id) } } });
    if (!thread) return failWith({ status: 404, title: 'The thread is gone', code: 'NOT_FOUND' }, undefined, { values: { guide: '1' } });
    const { data, error, response } = await locals.api.POST('/api/v1/guides', {
      body: { community: thread.community.slug, title: thread.title.slice(0, 150), sourcePostIds: [postId] },
    });
    if (!data) return failWith(error, response, { values: { guide: '1' } });
    redirect(303, `/g/${data.id}/edit`);
  },
  addToGuide: async (event) => {
    requireViewer(event);
    const { locals, request } = event;
    const form = await request.formData();
    const postId = idField(form, 'postId');
    const guideId = idField(form, 'guideId');
    if (postId === null || guideId === null)
      return failWith({ status: 400, title: 'Choose an answer and a guide', code: 'VALIDATION_FAILED' }, undefined, {
        values: { guide: '1' },
      });
    const { data, error, response } = await locals.api.POST('/api/v1/guides/{id}/sources', {
      params: { path: { id: guideId } },
      body: { postIds: [postId] },
    });
    if (!data) return failWith(error, response, { values: { guide: '1' } });
    redirect(303, `/g/${data.id}`);
  },
  // Moderation: flag a post (anyone signed in); lock, unlock, move, retag (the community's moderators).
  flag: async (event) => {
    requireViewer(event);
    const form = await event.request.formData();
    const postId = idField(form, 'postId');
    const reason = field(form, 'reason');
    if (!postId || !isFlagReason(reason))
      return failWith({ status: 400, title: 'Choose why you are flagging this post', code: 'VALIDATION_FAILED' }, undefined, {
        values: { postId: String(postId ?? '') },
        fields: [],
      });
    const { data, error, response } = await event.locals.api.POST('/api/v1/posts/{id}/flags', {
      params: { path: { id: postId } },
      body: { reason, note: field(form, 'note') },
    });
    if (!data) return failWith(error, response, { values: { postId: String(postId) }, fields: [] });
    return { flagged: postId, notice: data.message };
  },
  lock: (event) => threadModeration(event, (id) => event.locals.api.POST('/api/v1/threads/{id}/lock', { params: { path: { id } } })),
  unlock: (event) => threadModeration(event, (id) => event.locals.api.POST('/api/v1/threads/{id}/unlock', { params: { path: { id } } })),
  move: async (event) => {
    const community = field(await event.request.formData(), 'community');
    return threadModeration(event, (id) =>
      event.locals.api.POST('/api/v1/threads/{id}/move', { params: { path: { id } }, body: { community } }),
    );
  },
  retag: async (event) => {
    const raw = field(await event.request.formData(), 'tags');
    const tags = raw
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    return threadModeration(event, (id) => event.locals.api.PATCH('/api/v1/threads/{id}', { params: { path: { id } }, body: { tags } }));
  },
};

async function threadModeration(event: Event, run: (threadId: number) => Promise<{ data?: unknown; error?: unknown; response: Response }>) {
  requireViewer(event);
  const { data, error, response } = await run(Number(event.params.id));
  if (data === undefined) return failWith(error, response, { values: { moderate: '1' }, fields: [] });
  redirect(303, here(event.url));
}
