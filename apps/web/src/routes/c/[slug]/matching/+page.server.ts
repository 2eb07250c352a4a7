import { error, fail, redirect } from '@sveltejs/kit';
import { failWith, field, throwLoadError } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
  if (!locals.viewer) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
  const {
    data,
    error: problem,
    response,
  } = await locals.api.GET('/api/v1/communities/{slug}/matching', { params: { path: { slug: params.slug } } });
  if (!data) throwLoadError(problem, response);
  if (!data.abilities.edit)
    error(403, {
      message: 'Only the leaders and moderators of this community can change how it matches questions to experts.',
      code: 'FORBIDDEN',
    });
  return { matching: data };
};

const NUMBERS = {
  expertsPerRound: { min: 1, max: 10, label: 'Members asked per round' },
  rounds: { min: 1, max: 5, label: 'Rounds' },
  escalateMinutes: { min: 1, max: 10080, label: 'Minutes before the next round' },
  newcomerEscalateMinutes: { min: 1, max: 10080, label: 'Minutes for a newcomer’s question' },
} as const;
type NumberField = keyof typeof NUMBERS;

export const actions: Actions = {
  default: async ({ locals, params, request }) => {
    const form = await request.formData();
    const values: Record<string, string> = {
      expertsPerRound: field(form, 'expertsPerRound'),
      rounds: field(form, 'rounds'),
      escalateMinutes: field(form, 'escalateMinutes'),
      newcomerEscalateMinutes: field(form, 'newcomerEscalateMinutes'),
      matchQuestions: field(form, 'matchQuestions'),
      showExpertNames: field(form, 'showExpertNames') === 'on' ? 'on' : '',
    };
    const errors: Record<string, string> = {};
    const numbers = {} as Record<NumberField, number>;
    for (const [name, { min, max, label }] of Object.entries(NUMBERS) as [NumberField, (typeof NUMBERS)[NumberField]][]) {
      const n = Number(values[name]);
      if (values[name] === '' || !Number.isInteger(n) || n < min || n > max)
        errors[name] = `${label}: enter a whole number from ${min} to ${max}`;
      else numbers[name] = n;
    }
    const matchQuestions = values.matchQuestions === 'newcomers' ? 'newcomers' : values.matchQuestions === 'all' ? 'all' : null;
    if (!matchQuestions) errors.matchQuestions = 'Choose which questions are matched';
    if (Object.keys(errors).length > 0 || !matchQuestions) return fail(400, { errors, values });

    const {
      data,
      error: problem,
      response,
    } = await locals.api.PUT('/api/v1/communities/{slug}/matching', {
      params: { path: { slug: params.slug } },
      body: { ...numbers, matchQuestions, showExpertNames: values.showExpertNames === 'on' },
    });
    if (!data) return failWith(problem, response, { values });
    return { saved: true as const };
  },
};
