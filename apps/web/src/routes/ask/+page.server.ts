import { redirect } from '@sveltejs/kit';
import { parseTags, threadPath } from '$lib/format';
import { failWith, field } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  if (!locals.viewer) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  const memberships = locals.viewer.memberships;
  const wanted = url.searchParams.get('community');
  const selected = memberships.find((m) => m.slug === wanted)?.slug ?? (memberships.length === 1 ? memberships[0]!.slug : '');
  // With no memberships, suggest communities to join.
  let suggestions: { slug: string; name: string; description: string }[] = [];
  if (memberships.length === 0) {
    const { data } = await locals.api.GET('/api/v1/communities');
    suggestions = (data?.items ?? []).map(({ slug, name, description }) => ({ slug, name, description }));
  }
  return {
    communities: memberships.map(({ slug, name }) => ({ slug, name })),
    selected,
    wantedNotMember: wanted && !memberships.some((m) => m.slug === wanted) ? wanted : null,
    suggestions,
  };
};

export const actions: Actions = {
  default: async ({ locals, request }) => {
    const form = await request.formData();
    const values = {
      community: field(form, 'community'),
      title: field(form, 'title'),
      body: field(form, 'body', { trim: false }),
      tags: field(form, 'tags'),
      kind: field(form, 'kind') === 'discussion' ? 'discussion' : 'question',
    };
    if (!values.community) {
      return failWith(
        { status: 400, title: 'Choose a community', code: 'VALIDATION_FAILED', errors: { community: 'Choose the community to ask in' } },
        undefined,
        { values },
      );
    }
    const { data, error, response } = await locals.api.POST('/api/v1/threads', {
      body: {
        community: values.community,
        title: values.title,
        body: values.body,
        tags: parseTags(values.tags),
        kind: values.kind as 'question' | 'discussion',
      },
    });
    if (!data) return failWith(error, response, { values });
    redirect(303, threadPath(data));
  },
};
