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
    const values = { login: field(form, 'login') };
    const password = field(form, 'password', { trim: false });
    const next = safeNext(field(form, 'next') || url.searchParams.get('next'));

    const { data, error, response } = await locals.api.POST('/api/v1/auth/login', { body: { login: values.login, password } });
    if (!data) return failWith(error, response, { values, labels: { login: 'Username or email' }, fields: ['login', 'password'] });
    forwardSessionCookie(response, cookies);
    redirect(303, next);
  },
};
