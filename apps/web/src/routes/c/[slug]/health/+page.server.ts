import { error, redirect } from '@sveltejs/kit';
import { throwLoadError } from '$lib/server/forms';
import { PRESETS, presetPeriod, type PresetId } from '$lib/health';
import type { PageServerLoad } from './$types';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The period from the picker: a preset (default 12 weeks) or custom from/to days. */
function choosePeriod(url: URL, today: Date): { preset: PresetId | 'custom'; from: string; to: string } {
  const from = url.searchParams.get('from') ?? '';
  const to = url.searchParams.get('to') ?? '';
  const preset = url.searchParams.get('preset');
  if (preset !== 'custom' && PRESETS.some((p) => p.id === preset))
    return { preset: preset as PresetId, ...presetPeriod(preset as PresetId, today) };
  if (DATE.test(from) || DATE.test(to)) {
    const fallback = presetPeriod('12w', today);
    return { preset: 'custom', from: from || fallback.from, to: to || fallback.to };
  }
  return { preset: '12w', ...presetPeriod('12w', today) };
}

export const load: PageServerLoad = async ({ locals, params, url }) => {
  if (!locals.viewer) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  const period = choosePeriod(url, new Date());
  const {
    data,
    error: problem,
    response,
  } = await locals.api.GET('/api/v1/communities/{slug}/health', {
    params: { path: { slug: params.slug }, query: { from: period.from, to: period.to } },
  });
  if (response.status === 403)
    error(403, {
      message:
        'The health dashboard is for this community’s leaders and moderators. Ask one of them if you would like to see how the community is doing.',
      code: 'FORBIDDEN',
    });
  if (response.status === 400) {
    // A hand-typed period the API refused: say why, next to the picker, and show the default period.
    const fallback = presetPeriod('12w', new Date());
    const retry = await locals.api.GET('/api/v1/communities/{slug}/health', { params: { path: { slug: params.slug }, query: fallback } });
    if (!retry.data) throwLoadError(retry.error, retry.response);
    const detail = problem && typeof problem === 'object' && 'detail' in problem ? String(problem.detail) : 'That period is not valid';
    return {
      health: retry.data,
      period: { ...period, preset: 'custom' as const },
      periodError: detail,
      csvHref: csvHref(params.slug, fallback),
    };
  }
  if (!data) throwLoadError(problem, response);
  return { health: data, period, periodError: null, csvHref: csvHref(params.slug, period) };
};

const csvHref = (slug: string, period: { from: string; to: string }) =>
  `/c/${slug}/health.csv?${new URLSearchParams({ from: period.from, to: period.to })}`;
