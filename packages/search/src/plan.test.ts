import { describe, expect, it } from 'vitest';
import type { Scored } from './inverted-index.js';
import { queryTerms, topScored } from './plan.js';

describe('queryTerms', () => {
  it('normalizes the words and makes only the last one a prefix', () => {
    expect(queryTerms(['Stuck', 'FERM'])).toEqual([
      { text: 'stuck', prefix: false, maxTypos: 1 },
      { text: 'ferm', prefix: true, maxTypos: 0 },
    ]);
  });

  it('allows typos by length, like Meilisearch', () => {
    expect(queryTerms(['hops', 'yeast', 'fermentation']).map((term) => term.maxTypos)).toEqual([0, 1, 2]);
  });

  it('does not expand a single trailing letter', () => {
    expect(queryTerms(['brewing', 'd']).at(-1)).toEqual({ text: 'd', prefix: false, maxTypos: 0 });
  });
});

describe('topScored', () => {
  const scored = (score: number, id: number): Scored => ({ id, shortId: id, score });
  const many = Array.from({ length: 100 }, (_, i) => scored((i * 37) % 100, i));

  it('returns the best first, ties by id', () => {
    expect(topScored([scored(1, 3), scored(2, 9), scored(2, 4), scored(0, 1)], 3).map(({ id }) => id)).toEqual([4, 9, 3]);
  });

  it('selects the same as a full sort', () => {
    const sorted = [...many].sort((a, b) => b.score - a.score || a.id - b.id);
    expect(topScored(many, 5)).toEqual(sorted.slice(0, 5));
    expect(topScored(many, 60)).toEqual(sorted.slice(0, 60));
    expect(topScored(many, 500)).toEqual(sorted);
  });
});
