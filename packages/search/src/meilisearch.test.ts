import { afterAll, describe, expect, it } from 'vitest';
import { describeSearchIndexContract } from './contract.js';
import { createMeilisearchIndex, deleteMeilisearchIndex, filterExpression } from './meilisearch.js';

describe('Meilisearch filter expressions', () => {
  it('always restricts to the readable communities', () => {
    expect(filterExpression({ readableCommunityIds: [1, 2] })).toBe('communityId IN [1, 2]');
  });

  it('combines the optional filters', () => {
    expect(filterExpression({ readableCommunityIds: [1], communityId: 1, tag: 'hops', status: 'open', excludeIds: [7, 8] })).toBe(
      'communityId IN [1] AND communityId = 1 AND tags = "hops" AND status = "open" AND id NOT IN [7, 8]',
    );
  });

  it('quotes and escapes tags so they cannot change the expression', () => {
    expect(filterExpression({ readableCommunityIds: [1], tag: 'a" OR communityId = 2 OR tags = "b\\' })).toBe(
      'communityId IN [1] AND tags = "a\\" OR communityId = 2 OR tags = \\"b\\\\"',
    );
  });

  it('refuses ids that are not integers', () => {
    expect(() => filterExpression({ readableCommunityIds: [1.5] })).toThrow(/not an integer/);
    expect(() => filterExpression({ readableCommunityIds: [Number.NaN] })).toThrow(/not an integer/);
    expect(() => filterExpression({ readableCommunityIds: [1], excludeIds: [Number.POSITIVE_INFINITY] })).toThrow(/not an integer/);
  });
});

const url = process.env.MEILI_URL;
const apiKey = process.env.MEILI_MASTER_KEY;
const indexName = `threads_test_${process.pid}_${Date.now()}`;

describe.skipIf(url === undefined)('Meilisearch adapter (runs only when MEILI_URL points to a live Meilisearch)', () => {
  const live = { url: url ?? '', apiKey, indexName };

  afterAll(async () => {
    await deleteMeilisearchIndex(live);
  });

  describeSearchIndexContract('meilisearch', async () => createMeilisearchIndex(live));
});
