import { redirect } from '@sveltejs/kit';
import { safeNext } from '$lib/format';
import { forwardSessionCookie } from '$lib/server/api';
import { failWith, field } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  const next = safeNext(url.searchParams.get('next'));
  if (locals.viewer) redirect(303, next);
  return { next };
};

export const actions: Actions = {
  default: async ({ request, locals, cookies, url }) => {
    const form = await request.formData();
    const values = { username: field(form, 'username'), email: field(form, 'email'), displayName: field(form, 'displayName') };
    const password = field(form, 'password', { trim: false });
    const next = safeNext(field(form, 'next') || url.searchParams.get('next'));

    const { data, error, response } = await locals.api.POST('/api/v1/auth/register', {
      body: { username: values.username, email: values.email, password, ...(values.displayName && { displayName: values.displayName }) },
    });
    if (!data)
      return failWith(error, response, {
        values,
        labels: { displayName: 'Display name' },
        fields: ['username', 'displayName', 'email', 'password'],
      });
    forwardSessionCookie(response, cookies);
    redirect(303, next);
  },
};
