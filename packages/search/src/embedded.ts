import { debounce, type DebouncedTask } from './debounce.js';
import { writeFileAtomically } from './files.js';
import { highlightHtml, snippetHtml, termMatcher } from './highlight.js';
import type { Scored } from './inverted-index.js';
import { rankSearch, rankSimilar, topScored } from './plan.js';
import { emptyFacets, queryWords, similarQueryText } from './query.js';
import { emptyState, readSnapshot, serializeSnapshot } from './snapshot.js';
import type { SearchHit, SearchIndex, SearchQuery, SearchResult, SimilarHit, SimilarQuery, ThreadDocument } from './types.js';

export interface EmbeddedSearchOptions {
  /** Where the index is persisted; without it the index lives in memory only. */
  snapshotPath?: string;
  /** How long writes are coalesced before a snapshot is saved. Default 2000. */
  snapshotDelayMs?: number;
  /** Where problems that are recovered from (a discarded snapshot, a failed save) are reported. */
  warn?: (message: string) => void;
}

type DocumentFilter = (document: ThreadDocument) => boolean;

interface TermMatches {
  /** The document's words that matched (after prefix and typo expansion). */
  words: string[];
  /** The fields they are in. */
  fields: string[];
}

interface Found {
  document: ThreadDocument;
  matches: TermMatches;
}

interface Matches {
  /** Every match, in no particular order: for the total and the facets. */
  documents: ThreadDocument[];
  /** One page of them, best first. */
  page(offset: number, limit: number): Found[];
}

const NO_MATCHES: TermMatches = { words: [], fields: [] };

function documentFilter(query: Pick<SearchQuery, 'readableCommunityIds' | 'communityId' | 'tag' | 'status'>): DocumentFilter {
  const readable = new Set(query.readableCommunityIds);
  return (document) =>
    readable.has(document.communityId) &&
    (query.communityId === undefined || document.communityId === query.communityId) &&
    (query.tag === undefined || document.tags.includes(query.tag)) &&
    (query.status === undefined || document.status === query.status);
}

function facetsOf(documents: ThreadDocument[]): SearchResult['facets'] {
  const facets = emptyFacets();
  const add = (counts: Record<string, number>, key: string | number): void => {
    counts[key] = (counts[key] ?? 0) + 1;
  };
  for (const document of documents) {
    add(facets.communityId, document.communityId);
    add(facets.status, document.status);
    for (const tag of document.tags) add(facets.tags, tag);
  }
  return facets;
}

/** The texts a snippet is cut from: those that matched (threads can be long), else the body's start. */
function snippetTexts(document: ThreadDocument, fields: string[]): string[] {
  const matched: string[] = [];
  if (fields.includes('body')) matched.push(document.body);
  if (fields.includes('replies')) matched.push(document.replies);
  return matched.length > 0 ? matched : [document.body, document.replies];
}

function toHit({ document, matches }: Found): SearchHit {
  const matcher = termMatcher(matches.words);
  return {
    id: document.id,
    communityId: document.communityId,
    tags: document.tags,
    status: document.status,
    replyCount: document.replyCount,
    lastActivityAt: document.lastActivityAt,
    titleHtml: highlightHtml(document.title, matcher),
    snippetHtml: snippetHtml(snippetTexts(document, matches.fields), matcher),
  };
}

function byRecentActivity(a: ThreadDocument, b: ThreadDocument): number {
  return b.lastActivityAt - a.lastActivityAt || a.id - b.id;
}

/** A search engine inside the process (MiniSearch), optionally snapshotted to a file. */
export function createEmbeddedSearchIndex(options: EmbeddedSearchOptions = {}): SearchIndex {
  const { snapshotPath, snapshotDelayMs = 2000 } = options;
  const warn = options.warn ?? ((message: string) => console.warn(message));
  let state = emptyState();
  let loading: Promise<void> | undefined;

  const saver: DebouncedTask | undefined =
    snapshotPath === undefined
      ? undefined
      : debounce(
          () => writeFileAtomically(snapshotPath, serializeSnapshot(state)),
          snapshotDelayMs,
          (error) => warn(`search: could not save the snapshot ${snapshotPath}: ${String(error)}`),
        );

  async function load(path: string): Promise<void> {
    const loaded = await readSnapshot(path);
    if (typeof loaded === 'string') warn(`search: ignoring the snapshot ${path} because ${loaded}; the index starts empty and is rebuilt.`);
    else if (loaded !== undefined) state = loaded;
  }

  function ensureReady(): Promise<void> {
    loading ??= snapshotPath === undefined ? Promise.resolve() : load(snapshotPath);
    return loading;
  }

  function changed(): void {
    saver?.schedule();
  }

  function accepting(filter: DocumentFilter): (id: number) => boolean {
    return (id) => {
      const document = state.documents.get(id);
      return document !== undefined && filter(document);
    };
  }

  function documentsOf(scored: Scored[]): ThreadDocument[] {
    const found: ThreadDocument[] = [];
    for (const { id } of scored) {
      const document = state.documents.get(id);
      if (document !== undefined) found.push(document);
    }
    return found;
  }

  /** An empty query lists every permitted thread, most recently active first. */
  function browse(filter: DocumentFilter): Matches {
    const matched = [...state.documents.values()].filter(filter);
    return {
      documents: matched,
      page: (offset, limit) =>
        matched
          .sort(byRecentActivity)
          .slice(offset, offset + limit)
          .map((document) => ({ document, matches: NO_MATCHES })),
    };
  }

  function find(words: string[], filter: DocumentFilter): Matches {
    if (words.length === 0) return browse(filter);
    const ranking = rankSearch(state.engine, words, accepting(filter));
    if (ranking === undefined) return { documents: [], page: () => [] };
    const { index, terms, scored } = ranking;
    return {
      documents: documentsOf(scored),
      page: (offset, limit) =>
        topScored(scored, offset + limit)
          .slice(offset)
          .flatMap(({ id, shortId }) => {
            const document = state.documents.get(id);
            return document === undefined ? [] : [{ document, matches: index.matchesOf(shortId, terms) }];
          }),
    };
  }

  function findSimilar(query: SimilarQuery): SimilarHit[] {
    const excluded = new Set(query.excludeIds ?? []);
    const filter = documentFilter(query);
    const words = queryWords(similarQueryText(query));
    const ranking = rankSimilar(
      state.engine,
      words,
      accepting((document) => !excluded.has(document.id) && filter(document)),
      query.fields,
    );
    return topScored(ranking?.scored ?? [], query.limit).flatMap(({ id, score }): SimilarHit[] => {
      const document = state.documents.get(id);
      if (document === undefined) return [];
      const { communityId, status, replyCount } = document;
      return [{ id, communityId, status, replyCount, score }];
    });
  }

  return {
    kind: 'embedded',
    ensureReady,

    async upsert(batch) {
      await ensureReady();
      const { engine, documents } = state;
      for (const document of batch) {
        if (engine.has(document.id)) engine.replace(document);
        else engine.add(document);
        documents.set(document.id, document);
      }
      if (batch.length > 0) changed();
    },

    async remove(ids) {
      await ensureReady();
      for (const id of ids) {
        if (!state.documents.delete(id)) continue;
        state.engine.discard(id);
        changed();
      }
    },

    async versions(ids) {
      await ensureReady();
      const found = new Map<number, number>();
      for (const id of ids) {
        const document = state.documents.get(id);
        if (document !== undefined) found.set(id, document.version);
      }
      return found;
    },

    async search(query) {
      await ensureReady();
      if (query.readableCommunityIds.length === 0) return { hits: [], total: 0, facets: emptyFacets() };
      const matches = find(queryWords(query.q), documentFilter(query));
      return {
        hits: matches.page(query.offset, query.limit).map(toHit),
        total: matches.documents.length,
        facets: facetsOf(matches.documents),
      };
    },

    async similar(query) {
      await ensureReady();
      if (query.readableCommunityIds.length === 0) return [];
      return findSimilar(query);
    },

    async count() {
      await ensureReady();
      return state.documents.size;
    },

    async clear() {
      await ensureReady();
      state = emptyState();
      changed();
    },

    async close() {
      if (loading === undefined) return;
      await loading;
      await saver?.flush();
    },
  };
}
