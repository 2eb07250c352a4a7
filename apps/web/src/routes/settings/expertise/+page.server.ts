import { fail, redirect } from '@sveltejs/kit';
import { expertiseFieldErrors, parseExpertiseForm, timeZoneOptions } from '$lib/expertise';
import { problemMessage } from '$lib/format';
import { isProblem } from '$lib/server/api';
import { throwLoadError } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  if (!locals.viewer) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
  const { data, error, response } = await locals.api.GET('/api/v1/me/expertise');
  if (!data) throwLoadError(error, response);
  // Computed here, not in the component: the server's and the browser's zone lists may differ.
  return { settings: data, timeZones: timeZoneOptions(data.timeZone) };
};

export const actions: Actions = {
  default: async ({ locals, request, url }) => {
    if (!locals.viewer) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
    const { body, values, errors } = parseExpertiseForm(await request.formData());
    if (Object.keys(errors).length > 0)
      return fail(400, { errors, values, message: 'Some choices need another look; see the messages below.' });
    const { data, error, response } = await locals.api.PUT('/api/v1/me/expertise', { body });
    if (!data) {
      const problem = isProblem(error) ? error : { status: response.status, title: 'Something went wrong' };
      const fieldErrors = expertiseFieldErrors(
        problem,
        body.communities.map((c) => c.slug),
      );
      const status = response.status >= 400 && response.status < 500 ? response.status : 400;
      const message =
        response.status >= 500
          ? 'The server could not save this. Please try again in a moment.'
          : Object.keys(fieldErrors).length > 0
            ? 'Some choices need another look; see the messages below.'
            : problemMessage(problem);
      return fail(status, { errors: fieldErrors, values, message });
    }
    return { saved: true as const };
  },
};
