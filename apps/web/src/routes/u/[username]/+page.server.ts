import { redirect } from '@sveltejs/kit';
import { endOfDay } from '$lib/moderation';
import { failWith, field, throwLoadError } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
  const [{ data, error, response }, moderation] = await Promise.all([
    locals.api.GET('/api/v1/users/{username}', { params: { path: { username: params.username } } }),
    // Staff tools (role, suspension): only for viewers the API allows; everyone else gets null.
    locals.viewer
      ? locals.api.GET('/api/v1/users/{username}/moderation', { params: { path: { username: params.username } } }).then(
          (r) => r.data ?? null,
          () => null,
        )
      : Promise.resolve(null),
  ]);
  if (!data) throwLoadError(error, response);
  return { profile: data, moderation };
};

const signedIn = (locals: App.Locals, url: URL) => {
  if (!locals.viewer) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
};

export const actions: Actions = {
  role: async ({ locals, params, request, url }) => {
    signedIn(locals, url);
    const role = field(await request.formData(), 'role');
    if (role !== 'member' && role !== 'moderator' && role !== 'admin')
      return failWith({ status: 400, title: 'Choose a role', code: 'VALIDATION_FAILED' }, undefined, { fields: [] });
    const { data, error, response } = await locals.api.PUT('/api/v1/users/{username}/role', {
      params: { path: { username: params.username } },
      body: { role },
    });
    if (!data) return failWith(error, response, { fields: [] });
    return { notice: `${data.user.username} is now ${role === 'admin' ? 'an admin' : `a ${role}`}.` };
  },
  communityRole: async ({ locals, params, request, url }) => {
    signedIn(locals, url);
    const form = await request.formData();
    const community = field(form, 'community');
    const role = field(form, 'role');
    if (!community || (role !== 'member' && role !== 'leader' && role !== 'moderator'))
      return failWith({ status: 400, title: 'Choose a community and a role', code: 'VALIDATION_FAILED' }, undefined, { fields: [] });
    const { data, error, response } = await locals.api.PUT('/api/v1/communities/{slug}/members/{username}/role', {
      params: { path: { slug: community, username: params.username } },
      body: { role },
    });
    if (!data) return failWith(error, response, { fields: [] });
    return { notice: `${data.username} is now a ${data.role} of ${data.community}.` };
  },
  suspend: async ({ locals, params, request, url }) => {
    signedIn(locals, url);
    const form = await request.formData();
    const until = endOfDay(field(form, 'until'));
    const reason = field(form, 'reason');
    if (!until || !reason)
      return failWith({ status: 400, title: 'Pick the last day of the suspension and say why', code: 'VALIDATION_FAILED' }, undefined, {
        fields: [],
      });
    const { data, error, response } = await locals.api.POST('/api/v1/users/{username}/suspend', {
      params: { path: { username: params.username } },
      body: { until, reason },
    });
    if (!data) return failWith(error, response, { fields: [] });
    return { notice: `${data.user.username} is suspended.` };
  },
  unsuspend: async ({ locals, params, url }) => {
    signedIn(locals, url);
    const { data, error, response } = await locals.api.POST('/api/v1/users/{username}/unsuspend', {
      params: { path: { username: params.username } },
    });
    if (!data) return failWith(error, response, { fields: [] });
    return { notice: `${data.user.username} can write again.` };
  },
};
