import { fail, redirect } from '@sveltejs/kit';
import { EMAIL_KINDS, isDigestChoice, isEmailPreference, mutedKindsFor } from '$lib/notification-kinds';
import { failWith, field, throwLoadError } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  if (!locals.viewer) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
  const { data, error, response } = await locals.api.GET('/api/v1/me/notification-settings');
  if (!data) throwLoadError(error, response);
  return { settings: data };
};

export const actions: Actions = {
  default: async ({ locals, request, url }) => {
    if (!locals.viewer) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
    const form = await request.formData();
    const emailNotifications = field(form, 'emailNotifications');
    const emailDigest = field(form, 'emailDigest');
    const known = new Set<string>(EMAIL_KINDS.map((k) => k.kind));
    const enabled = form.getAll('kinds').filter((v): v is string => typeof v === 'string' && known.has(v));
    const values = { emailNotifications, emailDigest, kinds: enabled.join(',') };

    const errors: Record<string, string> = {};
    if (!isEmailPreference(emailNotifications)) errors.emailNotifications = 'Choose when to get notification emails';
    if (!isDigestChoice(emailDigest)) errors.emailDigest = 'Choose whether to get the daily digest';
    if (!isEmailPreference(emailNotifications) || !isDigestChoice(emailDigest)) return fail(400, { errors, values });

    // Muted kinds this page does not list are kept: read them first.
    const current = await locals.api.GET('/api/v1/me/notification-settings');
    if (!current.data) return failWith(current.error, current.response, { values, fields: [] });
    const { data, error, response } = await locals.api.PATCH('/api/v1/me/notification-settings', {
      body: { emailNotifications, emailDigest, emailMutedKinds: mutedKindsFor(enabled, current.data.emailMutedKinds) },
    });
    if (!data) return failWith(error, response, { values, fields: ['emailNotifications', 'emailDigest', 'emailMutedKinds'] });
    return { saved: true as const };
  },
};
