/**
 * The behaviour every SearchIndex adapter must have. Run by each adapter's test file against a fresh
 * index (test-only: excluded from the build).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SEARCH_DOCUMENT_VERSION, type SearchIndex, type SearchQuery, type ThreadDocument } from './types.js';

export function thread(id: number, fields: Partial<ThreadDocument> = {}): ThreadDocument {
  return {
    id,
    version: SEARCH_DOCUMENT_VERSION,
    communityId: 1,
    title: `Thread ${id}`,
    tags: [],
    status: 'open',
    kind: 'question',
    body: '',
    replies: '',
    authorId: 1,
    replyCount: 0,
    score: 0,
    createdAt: 1_700_000_000_000 + id,
    lastActivityAt: 1_700_000_000_000 + id,
    ...fields,
  };
}

const STOUT = thread(1, {
  title: 'Stuck fermentation in my stout',
  tags: ['fermentation', 'stout'],
  body: 'The airlock stopped bubbling after two days and the gravity still reads high.',
  replies: 'Try warming the carboy a little and rousing the yeast.',
  replyCount: 1,
});
const HOPS = thread(2, {
  title: 'Choosing hops for a pale ale',
  tags: ['hops', 'ale'],
  body: 'Cascade or Centennial for a citrus aroma?',
  replies: 'Dry hopping with Citra works well.',
  status: 'solved',
});
const LAGER = thread(3, {
  communityId: 2,
  title: 'Fermentation temperature for lagers',
  tags: ['fermentation', 'lager'],
  body: 'At what temperature should a lager ferment?',
  replies: 'Around ten degrees Celsius.',
});
const BOTTLES = thread(4, {
  title: 'Cleaning bottles',
  tags: ['sanitation'],
  body: 'Is bleach safe for glass bottles?',
  replies: 'Star San is easier and needs no rinsing.',
  status: 'locked',
});
const CORPUS = [STOUT, HOPS, LAGER, BOTTLES];

function query(q: string, fields: Partial<SearchQuery> = {}): SearchQuery {
  return { q, readableCommunityIds: [1, 2], limit: 20, offset: 0, ...fields };
}

export function describeSearchIndexContract(name: string, make: () => Promise<SearchIndex>): void {
  describe(`SearchIndex contract: ${name}`, () => {
    let index: SearchIndex;

    beforeEach(async () => {
      index = await make();
      await index.ensureReady();
      await index.clear();
      await index.upsert(CORPUS);
    });

    afterEach(async () => {
      await index.close();
    });

    async function ids(q: string, fields: Partial<SearchQuery> = {}): Promise<number[]> {
      const result = await index.search(query(q, fields));
      return result.hits.map((hit) => hit.id);
    }

    describe('matching', () => {
      it('finds a thread by a word of its title, body, replies or tags', async () => {
        expect(await ids('stout')).toEqual([1]);
        expect(await ids('airlock')).toEqual([1]);
        expect(await ids('carboy')).toEqual([1]);
        expect(await ids('sanitation')).toEqual([4]);
      });

      it('matches the word being typed as a prefix', async () => {
        expect((await ids('ferm')).sort()).toEqual([1, 3]);
        expect(await ids('centen')).toEqual([2]);
      });

      it('tolerates a typo', async () => {
        expect((await ids('fermantation')).sort()).toEqual([1, 3]);
      });

      it('needs every word when some thread has them all', async () => {
        expect(await ids('fermentation stout')).toEqual([1]);
      });

      it('drops the words that match nothing when no thread has them all', async () => {
        expect(await ids('stout xylophone')).toEqual([1]);
      });

      it('finds nothing for an unknown word', async () => {
        expect(await ids('xylophone')).toEqual([]);
      });

      it('lists every permitted thread for an empty query, most recently active first', async () => {
        const result = await index.search(query('', { readableCommunityIds: [1] }));
        expect(result.hits.map((hit) => hit.id)).toEqual([4, 2, 1]);
        expect(result.total).toBe(3);
      });

      it('returns the fields of a hit', async () => {
        const [hit] = (await index.search(query('stout'))).hits;
        expect(hit).toMatchObject({
          id: 1,
          communityId: 1,
          tags: ['fermentation', 'stout'],
          status: 'open',
          replyCount: 1,
          lastActivityAt: STOUT.lastActivityAt,
        });
      });
    });

    describe('writes', () => {
      it('replaces a thread upserted again under the same id', async () => {
        await index.upsert([{ ...STOUT, title: 'Bottle conditioning', body: 'How much priming sugar?', replies: '', tags: [] }]);
        expect(await ids('airlock')).toEqual([]);
        expect(await ids('stout')).toEqual([]);
        expect(await ids('priming')).toEqual([1]);
        expect(await index.count()).toBe(4);
      });

      it('finds the same after the same threads are upserted again', async () => {
        const before = await index.search(query('fermentation'));
        await index.upsert(CORPUS);
        await index.upsert(CORPUS);
        expect(await index.search(query('fermentation'))).toEqual(before);
        expect(before.total).toBe(2);
        expect(await index.count()).toBe(4);
      });

      it('removes threads', async () => {
        await index.remove([1, 99]);
        expect(await ids('stout')).toEqual([]);
        expect(await index.count()).toBe(3);
      });

      it('reports the version of the threads present', async () => {
        await index.upsert([{ ...HOPS, version: SEARCH_DOCUMENT_VERSION + 1 }]);
        const versions = await index.versions([1, 2, 99]);
        expect([...versions.entries()].sort()).toEqual([
          [1, SEARCH_DOCUMENT_VERSION],
          [2, SEARCH_DOCUMENT_VERSION + 1],
        ]);
        expect((await index.versions([])).size).toBe(0);
      });

      it('counts and clears', async () => {
        expect(await index.count()).toBe(4);
        await index.clear();
        expect(await index.count()).toBe(0);
        expect(await ids('stout')).toEqual([]);
      });
    });

    describe('permissions', () => {
      it('never returns a thread of a community the viewer cannot read, nor counts it', async () => {
        const result = await index.search(query('fermentation', { readableCommunityIds: [1] }));
        expect(result.hits.map((hit) => hit.id)).toEqual([1]);
        expect(result.total).toBe(1);
        expect(result.facets.communityId).toEqual({ '1': 1 });
        expect(result.facets.tags).toEqual({ fermentation: 1, stout: 1 });
      });

      it('returns nothing when the viewer can read no community', async () => {
        const result = await index.search(query('fermentation', { readableCommunityIds: [] }));
        expect(result).toEqual({ hits: [], total: 0, facets: { communityId: {}, tags: {}, status: {} } });
        expect(await index.search(query('', { readableCommunityIds: [] }))).toMatchObject({ hits: [], total: 0 });
      });

      it('does not let a community filter widen the permission', async () => {
        expect(await ids('fermentation', { readableCommunityIds: [1], communityId: 2 })).toEqual([]);
      });
    });

    describe('filters and facets', () => {
      it('filters by community, tag and status', async () => {
        expect(await ids('fermentation', { communityId: 2 })).toEqual([3]);
        expect(await ids('', { tag: 'hops' })).toEqual([2]);
        expect(await ids('', { status: 'locked' })).toEqual([4]);
        expect(await ids('fermentation', { tag: 'stout', status: 'open' })).toEqual([1]);
        expect(await ids('fermentation', { status: 'solved' })).toEqual([]);
      });

      it('counts facets over every match, not only the page', async () => {
        const result = await index.search(query('fermentation', { limit: 1 }));
        expect(result.hits).toHaveLength(1);
        expect(result.total).toBe(2);
        expect(result.facets).toEqual({
          communityId: { '1': 1, '2': 1 },
          tags: { fermentation: 2, stout: 1, lager: 1 },
          status: { open: 2 },
        });
      });

      it('counts facets on the filtered matches', async () => {
        const result = await index.search(query('', { communityId: 1 }));
        expect(result.facets.communityId).toEqual({ '1': 3 });
        expect(result.facets.status).toEqual({ open: 1, solved: 1, locked: 1 });
      });
    });

    describe('pagination', () => {
      it('pages through every match once', async () => {
        const mashes = Array.from({ length: 25 }, (_, i) => thread(100 + i, { title: `Mash schedule number ${i}` }));
        await index.upsert(mashes);
        const pages = await Promise.all([0, 10, 20].map((offset) => index.search(query('mash', { limit: 10, offset }))));
        const seen = pages.flatMap((page) => page.hits.map((hit) => hit.id));
        expect(pages.map((page) => page.hits.length)).toEqual([10, 10, 5]);
        expect(new Set(seen).size).toBe(25);
        expect(pages.every((page) => page.total === 25)).toBe(true);
      });
    });

    describe('highlighting', () => {
      it('marks the matched words in the title and snippet', async () => {
        const [hit] = (await index.search(query('stout airlock'))).hits;
        expect(hit?.titleHtml).toBe('Stuck fermentation in my <mark>stout</mark>');
        expect(hit?.snippetHtml).toContain('The <mark>airlock</mark> stopped');
      });

      it('marks prefix matches', async () => {
        const [hit] = (await index.search(query('stou'))).hits;
        expect(hit?.titleHtml).toMatch(/<mark>stou/i);
      });

      it('takes the snippet from the replies when only they match', async () => {
        const [hit] = (await index.search(query('carboy'))).hits;
        expect(hit?.snippetHtml).toContain('<mark>carboy</mark>');
      });

      it('cuts a long text around the match', async () => {
        const filler = (word: string): string => Array.from({ length: 60 }, () => word).join(' ');
        await index.upsert([thread(50, { body: `${filler('lorem')} the needle is here ${filler('ipsum')}` })]);
        const [hit] = (await index.search(query('needle'))).hits;
        const snippet = hit?.snippetHtml ?? '';
        expect(snippet).toContain('<mark>needle</mark>');
        expect(snippet.startsWith('…')).toBe(true);
        expect(snippet.endsWith('…')).toBe(true);
        expect(snippet.split(/\s+/).length).toBeLessThan(45);
      });

      it('escapes the text of documents', async () => {
        await index.upsert([
          thread(60, {
            title: 'Why does <script>alert(1)</script> appear in my recipe?',
            body: 'My recipe shows <img src=x onerror=alert(1)> before the word wort.',
          }),
        ]);
        const [hit] = (await index.search(query('wort recipe'))).hits;
        expect(hit?.snippetHtml).toContain('&lt;img');
        expect(hit?.snippetHtml).not.toContain('<img');
        expect(hit?.titleHtml).toContain('&lt;script&gt;');
        expect(hit?.titleHtml).not.toContain('<script');
        const markup = `${hit?.titleHtml ?? ''}${hit?.snippetHtml ?? ''}`.match(/<[^>]*>/g) ?? [];
        expect(markup.every((tag) => tag === '<mark>' || tag === '</mark>')).toBe(true);
      });
    });

    describe('similar', () => {
      const SIMILAR = [
        thread(70, { title: 'How long should primary fermentation take?', body: 'Ale yeast, 20 degrees.' }),
        thread(71, { title: 'Fermentation smells like sulfur', body: 'Is this normal for a lager?' }),
        thread(72, { title: 'How long should secondary take?', body: 'Racking to a second vessel.' }),
        thread(73, { communityId: 2, title: 'How long should primary fermentation take exactly?' }),
      ];

      beforeEach(async () => {
        await index.upsert(SIMILAR);
      });

      it('ranks the closest title first, with a score', async () => {
        const hits = await index.similar({ title: 'how long should primary fermentation take', readableCommunityIds: [1], limit: 3 });
        expect(hits[0]).toMatchObject({ id: 70, communityId: 1, status: 'open', replyCount: 0 });
        expect(hits.length).toBeGreaterThan(0);
        expect(hits.length).toBeLessThanOrEqual(3);
        expect(hits.every((hit) => typeof hit.score === 'number')).toBe(true);
        expect(hits.every((hit, i) => i === 0 || (hits[i - 1]?.score ?? 0) >= hit.score)).toBe(true);
      });

      it('leaves out the excluded ids', async () => {
        const hits = await index.similar({
          title: 'how long should primary fermentation take',
          readableCommunityIds: [1],
          limit: 5,
          excludeIds: [70],
        });
        expect(hits.map((hit) => hit.id)).not.toContain(70);
      });

      it('respects the permission and community filters', async () => {
        const title = 'how long should primary fermentation take exactly';
        const readable = await index.similar({ title, readableCommunityIds: [1], limit: 10 });
        expect(readable.every((hit) => hit.communityId === 1)).toBe(true);
        const onlyTwo = await index.similar({ title, readableCommunityIds: [1, 2], communityId: 2, limit: 10 });
        expect(onlyTwo[0]?.id).toBe(73);
        expect(onlyTwo.every((hit) => hit.communityId === 2)).toBe(true);
        expect(await index.similar({ title, readableCommunityIds: [], limit: 10 })).toEqual([]);
      });

      it('uses the body too', async () => {
        const hits = await index.similar({ title: 'racking', body: 'second vessel', readableCommunityIds: [1], limit: 1 });
        expect(hits.map((hit) => hit.id)).toEqual([72]);
      });

      it("matches the answers only with fields 'all'", async () => {
        await index.upsert([
          thread(74, {
            title: 'Cloudy beer after bottling',
            body: 'It looks hazy.',
            replies: 'Add gelatin finings to the keg.',
            replyCount: 1,
          }),
        ]);
        const title = 'gelatin finings';
        expect(await index.similar({ title, readableCommunityIds: [1], limit: 5 })).toEqual([]);
        expect(await index.similar({ title, readableCommunityIds: [1], limit: 5, fields: 'question' })).toEqual([]);
        const hits = await index.similar({ title, readableCommunityIds: [1], limit: 5, fields: 'all' });
        expect(hits.map((hit) => hit.id)).toEqual([74]);
        // The question's own words still match, and still rank the closest title first.
        const byTitle = await index.similar({
          title: 'how long should primary fermentation take',
          readableCommunityIds: [1],
          limit: 3,
          fields: 'all',
        });
        expect(byTitle[0]?.id).toBe(70);
      });
    });
  });
}
