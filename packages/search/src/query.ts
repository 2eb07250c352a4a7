import type { SearchResult, SimilarQuery } from './types.js';
import { tokenize } from './highlight.js';

/** Meilisearch ignores query words past the tenth; the embedded engine does the same. */
export const MAX_QUERY_WORDS = 10;

export function queryWords(text: string): string[] {
  return tokenize(text).slice(0, MAX_QUERY_WORDS);
}

/** The words "similar questions" match on: the title first, then the start of the body. */
export function similarQueryText(query: SimilarQuery): string {
  return queryWords(`${query.title} ${query.body ?? ''}`).join(' ');
}

export function emptyFacets(): SearchResult['facets'] {
  return { communityId: {}, tags: {}, status: {} };
}
