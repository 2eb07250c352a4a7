import { error, redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/** The dashboard's CSV, fetched with the visitor's session and handed over as a download. */
export const GET: RequestHandler = async ({ locals, params, url }) => {
  if (!locals.viewer) redirect(303, `/login?next=${encodeURIComponent(`/c/${params.slug}/health`)}`);
  const from = url.searchParams.get('from') ?? undefined;
  const to = url.searchParams.get('to') ?? undefined;
  const { data, response } = await locals.api.GET('/api/v1/communities/{slug}/health.csv', {
    params: { path: { slug: params.slug }, query: { ...(from && { from }), ...(to && { to }) } },
    parseAs: 'text',
  });
  if (data === undefined)
    error(response.status === 403 || response.status === 404 || response.status === 400 ? response.status : 502, {
      message: response.status === 400 ? 'That period is not valid' : 'The CSV is not available',
      code: 'CSV',
    });
  return new Response(data, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': response.headers.get('content-disposition') ?? `attachment; filename="${params.slug}-health.csv"`,
      'cache-control': 'private, no-store',
    },
  });
};
