import { fail, redirect } from '@sveltejs/kit';
import { failWith, field, idField, throwLoadError } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

const SCOPES = ['read', 'write', 'admin'] as const;
type Scope = (typeof SCOPES)[number];
const isScope = (value: unknown): value is Scope => typeof value === 'string' && (SCOPES as readonly string[]).includes(value);
/** The expiry choices the form offers, in days; '' is "never". */
const EXPIRY_CHOICES = ['', '7', '30', '90', '365'] as const;

export const load: PageServerLoad = async ({ locals, url }) => {
  if (!locals.viewer) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
  const { data, error, response } = await locals.api.GET('/api/v1/me/tokens');
  if (!data) throwLoadError(error, response);
  return { tokens: data.items, staff: locals.viewer.role !== 'member' };
};

export const actions: Actions = {
  create: async ({ locals, request, url }) => {
    if (!locals.viewer) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
    const form = await request.formData();
    const name = field(form, 'name');
    const expires = field(form, 'expiresInDays');
    // read is always on: every other scope builds on it.
    const scopes = [...new Set(['read', ...form.getAll('scopes').filter(isScope)])] as Scope[];
    const values = { name, expiresInDays: expires, scopes: scopes.join(',') };
    if (!name) return fail(400, { errors: { name: 'Give the token a name, like the script that will use it' }, values });
    if (!(EXPIRY_CHOICES as readonly string[]).includes(expires))
      return fail(400, { errors: { expiresInDays: 'Choose when the token expires' }, values });
    const { data, error, response } = await locals.api.POST('/api/v1/me/tokens', {
      body: { name, scopes, ...(expires && { expiresInDays: Number(expires) }) },
    });
    if (!data) return failWith(error, response, { values, fields: ['name', 'scopes', 'expiresInDays'] });
    return { created: { name: data.name, token: data.token } };
  },
  revoke: async ({ locals, request, url }) => {
    if (!locals.viewer) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
    const id = idField(await request.formData(), 'id');
    if (id === null) return fail(400, { message: 'That token does not exist' });
    const { data, error, response } = await locals.api.DELETE('/api/v1/me/tokens/{id}', { params: { path: { id } } });
    if (!data) return failWith(error, response);
    return { revoked: true as const };
  },
};
