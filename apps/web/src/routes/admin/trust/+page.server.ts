import { error, fail, redirect } from '@sveltejs/kit';
import { failWith, field, throwLoadError } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

const LEVELS = ['tl1', 'tl2', 'tl3'] as const;
const REQUIREMENTS = ['daysVisited', 'topicsEntered', 'postsRead', 'replies', 'acceptedAnswers', 'maxFlagsUpheld'] as const;
const LIMITS = ['linksPerPost', 'mentionsPerPost', 'postsPerDay', 'topicsPerDay'] as const;

export const load: PageServerLoad = async ({ locals, url }) => {
  if (!locals.viewer) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
  const { data, error: problem, response } = await locals.api.GET('/api/v1/admin/trust');
  if (!data) {
    if (response.status === 403) error(403, { message: 'Only admins can change trust levels.', code: 'FORBIDDEN' });
    throwLoadError(problem, response);
  }
  return { trust: data };
};

export const actions: Actions = {
  default: async ({ locals, request }) => {
    const form = await request.formData();
    const values: Record<string, string> = {};
    const errors: Record<string, string> = {};
    const number = (name: string) => {
      values[name] = field(form, name);
      const n = Number(values[name]);
      if (values[name] === '' || !Number.isInteger(n) || n < 0 || n > 100000) {
        errors[name] = 'Enter a whole number from 0 to 100000';
        return 0;
      }
      return n;
    };
    const thresholds = Object.fromEntries(
      LEVELS.map((level) => [level, Object.fromEntries(REQUIREMENTS.map((r) => [r, number(`${level}.${r}`)]))]),
    ) as Record<(typeof LEVELS)[number], Record<(typeof REQUIREMENTS)[number], number>>;
    const newcomerLimits = Object.fromEntries(LIMITS.map((l) => [l, number(l)])) as Record<(typeof LIMITS)[number], number>;
    if (Object.keys(errors).length > 0) return fail(400, { errors, values, message: 'Some numbers are not valid.' });
    const { data, error: problem, response } = await locals.api.PUT('/api/v1/admin/trust', { body: { thresholds, newcomerLimits } });
    if (!data) return failWith(problem, response, { values, fields: [] });
    return { saved: true as const };
  },
};
