import { Meilisearch, type EnqueuedTaskPromise, type Hit, type Index, type SearchParams, type Settings } from 'meilisearch';
import { markedToHtml } from './highlight.js';
import { emptyFacets, similarQueryText } from './query.js';
import type { SearchHit, SearchIndex, SearchQuery, SearchResult, SimilarHit, ThreadDocument } from './types.js';

export interface MeilisearchIndexOptions {
  url: string;
  apiKey?: string;
  indexName?: string;
}

// Meilisearch puts these around matches; control characters never occur in post text (they are also
// stripped on upsert), so after escaping the text they can be turned into <mark> unambiguously.
const PRE = '\u0001';
const POST = '\u0002';

const FACETS = ['communityId', 'tags', 'status'];
const HIT_FIELDS = ['id', 'communityId', 'tags', 'status', 'replyCount', 'lastActivityAt', 'title', 'body', 'replies'];
const SNIPPET_WORDS = 30;
/** Large batches can take a while to index; the client's default (5 s) is too short. */
const TASK_TIMEOUT_MS = 120_000;
/** Keeps `id IN [...]` filters to a reasonable length. */
const VERSION_CHUNK = 1000;

const SETTINGS: Settings = {
  searchableAttributes: ['title', 'tags', 'body', 'replies'],
  filterableAttributes: ['communityId', 'tags', 'status', 'kind', 'id'],
  sortableAttributes: ['lastActivityAt', 'createdAt', 'score', 'replyCount'],
  typoTolerance: { enabled: true },
  rankingRules: ['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness', 'score:desc'],
};

/** Waits for a task and throws with Meilisearch's message unless it succeeded (or failed with `tolerated`). */
async function settle(enqueued: EnqueuedTaskPromise, action: string, tolerated?: string): Promise<void> {
  const task = await enqueued.waitTask({ timeout: TASK_TIMEOUT_MS });
  if (task.status === 'succeeded') return;
  if (tolerated !== undefined && task.error?.code === tolerated) return;
  const reason = task.error ? `${task.error.message} (${task.error.code})` : `the task ended ${task.status}`;
  throw new Error(`search: Meilisearch could not ${action}: ${reason}`);
}

function integer(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`search: ${value} is not an integer id`);
  return String(value);
}

function integerList(values: number[]): string {
  return `[${values.map(integer).join(', ')}]`;
}

/** A string literal for a filter expression. */
function quoted(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export interface FilterInput {
  readableCommunityIds: number[];
  communityId?: number;
  tag?: string;
  status?: SearchQuery['status'];
  excludeIds?: number[];
}

/** Ids are checked to be integers and strings quoted, so no value can change the expression. */
export function filterExpression(input: FilterInput): string {
  const clauses = [`communityId IN ${integerList(input.readableCommunityIds)}`];
  if (input.communityId !== undefined) clauses.push(`communityId = ${integer(input.communityId)}`);
  if (input.tag !== undefined) clauses.push(`tags = ${quoted(input.tag)}`);
  if (input.status !== undefined) clauses.push(`status = ${quoted(input.status)}`);
  if (input.excludeIds !== undefined && input.excludeIds.length > 0) clauses.push(`id NOT IN ${integerList(input.excludeIds)}`);
  return clauses.join(' AND ');
}

function withoutMarkers(document: ThreadDocument): ThreadDocument {
  const clean = (text: string): string => text.replaceAll(PRE, '').replaceAll(POST, '');
  return {
    ...document,
    title: clean(document.title),
    body: clean(document.body),
    replies: clean(document.replies),
    tags: document.tags.map(clean),
  };
}

function hasMatch(text: string): boolean {
  return text.includes(PRE);
}

/** The cropped body, or the cropped replies when only they match. */
function snippetOf(hit: Hit<ThreadDocument>): string {
  const body = hit._formatted?.body ?? hit.body;
  const replies = hit._formatted?.replies ?? hit.replies;
  if (hasMatch(body)) return body;
  if (hasMatch(replies)) return replies;
  return body.trim() === '' ? replies : body;
}

function toHit(hit: Hit<ThreadDocument>): SearchHit {
  return {
    id: hit.id,
    communityId: hit.communityId,
    tags: hit.tags,
    status: hit.status,
    replyCount: hit.replyCount,
    lastActivityAt: hit.lastActivityAt,
    titleHtml: markedToHtml(hit._formatted?.title ?? hit.title, PRE, POST),
    snippetHtml: markedToHtml(snippetOf(hit), PRE, POST),
  };
}

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

/** The Meilisearch adapter. Writes resolve once Meilisearch has finished the task. */
export function createMeilisearchIndex(options: MeilisearchIndexOptions): SearchIndex {
  const { url, apiKey, indexName = 'threads' } = options;
  const client = new Meilisearch({ host: url, apiKey });
  const index: Index<ThreadDocument> = client.index<ThreadDocument>(indexName);
  let ready: Promise<void> | undefined;

  async function setUp(): Promise<void> {
    await settle(client.createIndex(indexName, { primaryKey: 'id' }), `create the index ${indexName}`, 'index_already_exists');
    await settle(index.updateSettings(SETTINGS), `apply the settings of ${indexName}`);
  }

  function ensureReady(): Promise<void> {
    ready ??= setUp().catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return ready;
  }

  return {
    kind: 'meilisearch',
    ensureReady,

    async upsert(documents) {
      if (documents.length === 0) return;
      await ensureReady();
      await settle(index.addDocuments(documents.map(withoutMarkers), { primaryKey: 'id' }), `index ${documents.length} threads`);
    },

    async remove(ids) {
      if (ids.length === 0) return;
      await ensureReady();
      await settle(index.deleteDocuments(ids), `remove ${ids.length} threads`);
    },

    async versions(ids) {
      await ensureReady();
      const found = new Map<number, number>();
      for (const chunk of chunks([...new Set(ids)], VERSION_CHUNK)) {
        const page = await index.getDocuments<Pick<ThreadDocument, 'id' | 'version'>>({
          filter: `id IN ${integerList(chunk)}`,
          fields: ['id', 'version'],
          limit: chunk.length,
        });
        for (const document of page.results) found.set(document.id, document.version);
      }
      return found;
    },

    async search(query) {
      await ensureReady();
      if (query.readableCommunityIds.length === 0) return { hits: [], total: 0, facets: emptyFacets() };
      const browsing = query.q.trim() === '';
      const params: SearchParams = {
        filter: filterExpression(query),
        facets: FACETS,
        limit: query.limit,
        offset: query.offset,
        attributesToRetrieve: HIT_FIELDS,
        attributesToHighlight: ['title', 'body', 'replies'],
        attributesToCrop: ['body', 'replies'],
        cropLength: SNIPPET_WORDS,
        highlightPreTag: PRE,
        highlightPostTag: POST,
        // Like the embedded engine: an empty query lists the most recently active threads.
        ...(browsing ? { sort: ['lastActivityAt:desc'] } : {}),
      };
      // Every word must match, as in the embedded engine; only when nothing does are words dropped.
      let response = await index.search<ThreadDocument>(query.q, { ...params, matchingStrategy: 'all' });
      if (response.estimatedTotalHits === 0 && !browsing) {
        response = await index.search<ThreadDocument>(query.q, { ...params, matchingStrategy: 'last' });
      }
      const distribution = response.facetDistribution ?? {};
      const facets: SearchResult['facets'] = {
        communityId: distribution.communityId ?? {},
        tags: distribution.tags ?? {},
        status: distribution.status ?? {},
      };
      return { hits: response.hits.map(toHit), total: response.estimatedTotalHits ?? response.hits.length, facets };
    },

    async similar(query) {
      await ensureReady();
      const text = similarQueryText(query);
      if (text === '' || query.readableCommunityIds.length === 0) return [];
      const response = await index.search<ThreadDocument>(text, {
        filter: filterExpression({ ...query, excludeIds: query.excludeIds ?? [] }),
        limit: query.limit,
        attributesToSearchOn: query.fields === 'all' ? ['title', 'body', 'replies'] : ['title', 'body'],
        attributesToRetrieve: ['id', 'communityId', 'status', 'replyCount'],
        matchingStrategy: 'last',
        showRankingScore: true,
      });
      return response.hits.map((hit): SimilarHit => ({
        id: hit.id,
        communityId: hit.communityId,
        status: hit.status,
        replyCount: hit.replyCount,
        score: hit._rankingScore ?? 0,
      }));
    },

    async count() {
      await ensureReady();
      const stats = await index.getStats();
      return stats.numberOfDocuments;
    },

    async clear() {
      await ensureReady();
      await settle(index.deleteAllDocuments(), 'remove every thread');
    },

    async close() {
      // The client keeps no connection open and Meilisearch persists by itself.
    },
  };
}

/** Deletes an index (test runs use a throwaway one). */
export async function deleteMeilisearchIndex(options: MeilisearchIndexOptions & { indexName: string }): Promise<void> {
  const client = new Meilisearch({ host: options.url, apiKey: options.apiKey });
  await settle(client.deleteIndex(options.indexName), `delete the index ${options.indexName}`, 'index_not_found');
}
