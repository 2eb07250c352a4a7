import { json } from '@sveltejs/kit';
import { SIMILAR_MIN_TITLE } from '$lib/similar';
import type { GuideSuggestion, SimilarThread } from '$lib/types';
import type { RequestHandler } from './$types';

/**
 * GET /ask/similar?title=… — threads like the question being typed, for the ask page's "Similar questions".
 * The browser asks this app, which asks the API with the visitor's session (so private communities they
 * belong to count too). Any failure is just "no suggestions": the page works without them.
 */
export const GET: RequestHandler = async ({ locals, url }) => {
  const title = (url.searchParams.get('title') ?? '').trim().slice(0, 300);
  const headers = { 'cache-control': 'private, max-age=60', vary: 'cookie' };
  if (title.length < SIMILAR_MIN_TITLE) return json({ items: [] satisfies SimilarThread[] }, { headers });
  try {
    // Guides first ("There is a guide for this"); a guide lookup that fails just leaves them out.
    const [{ data, response }, guides] = await Promise.all([
      locals.api.GET('/api/v1/threads/similar', { params: { query: { title, limit: 5 } } }),
      locals.api.GET('/api/v1/guides/similar', { params: { query: { title, limit: 2 } } }).catch(() => ({ data: undefined })),
    ]);
    if (data) return json({ items: data.items, guides: guides.data?.items ?? ([] satisfies GuideSuggestion[]) }, { headers });
    return json(
      { items: [] satisfies SimilarThread[], unavailable: true },
      { status: response.status === 503 ? 503 : 502, headers: { 'cache-control': 'no-store' } },
    );
  } catch {
    return json({ items: [] satisfies SimilarThread[], unavailable: true }, { status: 502, headers: { 'cache-control': 'no-store' } });
  }
};
