/** How the embedded index turns query words into ranked documents. */
import type MiniSearch from 'minisearch';
import { normalizeWord } from './highlight.js';
import { InvertedIndex, type FieldBoosts, type QueryTerm, type Scored } from './inverted-index.js';
import type { ThreadDocument } from './types.js';

export interface Ranking {
  index: InvertedIndex;
  /** The query terms used, in query order. */
  terms: QueryTerm[];
  /** In no particular order. */
  scored: Scored[];
}

const SEARCH_BOOSTS: FieldBoosts = { title: 3, tags: 2, body: 1, replies: 1 };
const SIMILAR_BOOSTS: FieldBoosts = { title: 2, body: 1 };
/** `similar` with fields 'all': the answers count as much as the opening post. */
const SIMILAR_ALL_BOOSTS: FieldBoosts = { title: 2, body: 1, replies: 1 };
/** A single letter as a prefix matches a large part of the vocabulary for little meaning. */
const MIN_PREFIX_LENGTH = 2;
/** For "similar questions", a word in more than this share of the threads says nothing about similarity… */
const COMMON_SHARE = 0.1;
/** …but on a small index every word is in a large share of it. */
const MIN_COMMON_DOCUMENTS = 500;

/** Like Meilisearch's defaults: one typo from 5 letters, two from 9. */
function typoBudget(term: string): number {
  return term.length >= 9 ? 2 : term.length >= 5 ? 1 : 0;
}

/** Like Meilisearch, only the last word (the one being typed) matches as a prefix. */
export function queryTerms(words: string[]): QueryTerm[] {
  const texts = words.map(normalizeWord).filter((text) => text.length > 0);
  return texts.map((text, i) => ({
    text,
    prefix: i === texts.length - 1 && text.length >= MIN_PREFIX_LENGTH,
    maxTypos: typoBudget(text),
  }));
}

/**
 * The documents containing every word. When none does, the last word is dropped, and so on
 * (Meilisearch's "last" matching strategy); nothing when not even the first word matches.
 */
export function rankSearch(engine: MiniSearch<ThreadDocument>, words: string[], accept: (id: number) => boolean): Ranking | undefined {
  const index = new InvertedIndex(engine);
  for (let kept = words.length; kept > 0; kept--) {
    const terms = queryTerms(words.slice(0, kept));
    const candidates = terms.length === 0 ? [] : index.containingAll(terms, accept);
    if (candidates.length > 0) return { index, terms, scored: index.score(terms, candidates, SEARCH_BOOSTS) };
  }
  return undefined;
}

/** Best first: higher score, then lower id so that pages are stable. */
export function byScore(a: Scored, b: Scored): number {
  return b.score - a.score || a.id - b.id;
}

/** The `count` best, best first, without sorting everything (a page of a large result). */
export function topScored(scored: Scored[], count: number): Scored[] {
  if (count >= scored.length / 4) return [...scored].sort(byScore).slice(0, count);
  const top: Scored[] = [];
  for (const entry of scored) {
    const last = top[top.length - 1];
    if (top.length === count && last !== undefined && byScore(entry, last) >= 0) continue;
    top.splice(insertionPoint(top, entry), 0, entry);
    if (top.length > count) top.pop();
  }
  return top;
}

function insertionPoint(sorted: Scored[], entry: Scored): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    const other = sorted[mid];
    if (other !== undefined && byScore(other, entry) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The documents containing any of the words, leaving out words too common to tell threads apart. */
export function rankSimilar(
  engine: MiniSearch<ThreadDocument>,
  words: string[],
  accept: (id: number) => boolean,
  fields: 'question' | 'all' = 'question',
): Ranking | undefined {
  const index = new InvertedIndex(engine);
  const limit = Math.max(MIN_COMMON_DOCUMENTS, COMMON_SHARE * index.documentCount);
  const counted = queryTerms(words)
    .map((term) => ({ term, documents: index.documentEstimate(term) }))
    .filter(({ documents }) => documents > 0);
  const distinctive = counted.filter(({ documents }) => documents <= limit);
  const rarest = [...counted].sort((a, b) => a.documents - b.documents).slice(0, 1);
  const terms = (distinctive.length > 0 ? distinctive : rarest).map(({ term }) => term);
  if (terms.length === 0) return undefined;
  return {
    index,
    terms,
    scored: index.score(terms, index.containingAny(terms, accept), fields === 'all' ? SIMILAR_ALL_BOOSTS : SIMILAR_BOOSTS),
  };
}
