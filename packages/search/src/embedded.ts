import MiniSearch, { type AsPlainObject, type Options, type SearchOptions, type SearchResult as Match } from 'minisearch';
import { highlightHtml, normalizeWord, snippetHtml, termMatcher, tokenize } from './highlight.js';
import { emptyFacets, queryWords, similarQueryText } from './query.js';
import { debounce, readOptionalFile, writeFileAtomically, type DebouncedTask } from './snapshot.js';
import {
  SEARCH_DOCUMENT_VERSION,
  type SearchHit,
  type SearchIndex,
  type SearchQuery,
  type SearchResult,
  type SimilarHit,
  type ThreadDocument,
} from './types.js';

export interface EmbeddedSearchOptions {
  /** Where the index is persisted; without it the index lives in memory only. */
  snapshotPath?: string;
  /** How long writes are coalesced before a snapshot is saved. Default 2000. */
  snapshotDelayMs?: number;
  /** Where problems that are recovered from (a discarded snapshot, a failed save) are reported. */
  warn?: (message: string) => void;
}

const INDEX_OPTIONS: Options<ThreadDocument> = {
  fields: ['title', 'tags', 'body', 'replies'],
  // The documents are kept whole beside the index (snippets need their text), so nothing is stored twice.
  storeFields: [],
  extractField: fieldValue,
  tokenize,
  processTerm: normalizeWord,
};

/**
 * Saved in the snapshot: an index built with other fields or another tokenization is not loaded. Change
 * it with INDEX_OPTIONS.
 */
const INDEX_LAYOUT = 'fields=title,tags,body,replies;words=letters+marks+digits;terms=lowercase,no-diacritics';
const SNAPSHOT_FORMAT = 1;

const SEARCH_OPTIONS: SearchOptions = {
  boost: { title: 3, tags: 2 },
  // Like Meilisearch: only the word being typed (the last) is a prefix, and typos are tolerated in
  // words of 5 letters (one) and 9 letters (two).
  prefix: (_term, index, terms) => index === terms.length - 1,
  fuzzy: (term) => (term.length >= 9 ? 2 : term.length >= 5 ? 1 : false),
};

const SIMILAR_OPTIONS: SearchOptions = {
  ...SEARCH_OPTIONS,
  fields: ['title', 'body'],
  boost: { title: 2 },
  combineWith: 'OR',
};

/** Also reads the id, which must stay a number. */
function fieldValue(document: ThreadDocument, field: string): unknown {
  const value = document[field as keyof ThreadDocument];
  return Array.isArray(value) ? value.join(' ') : value;
}

interface Snapshot {
  format: number;
  documentVersion: number;
  indexLayout: string;
  index: AsPlainObject;
  documents: ThreadDocument[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The snapshot, or why it cannot be used. */
function parseSnapshot(text: string): Snapshot | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `it is not valid JSON (${String(error)})`;
  }
  if (!isRecord(value) || value.format !== SNAPSHOT_FORMAT) return 'its format is unknown';
  if (value.documentVersion !== SEARCH_DOCUMENT_VERSION) {
    return `it holds document version ${String(value.documentVersion)}, not ${SEARCH_DOCUMENT_VERSION}`;
  }
  if (value.indexLayout !== INDEX_LAYOUT) return 'it was built with other index options';
  if (!isRecord(value.index) || !Array.isArray(value.documents)) return 'it is incomplete';
  return value as unknown as Snapshot;
}

type DocumentFilter = (document: ThreadDocument) => boolean;

interface Ranked {
  document: ThreadDocument;
  /** The document's words that matched (after prefix and typo expansion), for highlighting. */
  terms: string[];
}

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

function toHit(document: ThreadDocument, matchedTerms: string[]): SearchHit {
  const matches = termMatcher(matchedTerms);
  return {
    id: document.id,
    communityId: document.communityId,
    tags: document.tags,
    status: document.status,
    replyCount: document.replyCount,
    lastActivityAt: document.lastActivityAt,
    titleHtml: highlightHtml(document.title, matches),
    snippetHtml: snippetHtml([document.body, document.replies], matches),
  };
}

/** A search engine inside the process (MiniSearch), optionally snapshotted to a file. */
export function createEmbeddedSearchIndex(options: EmbeddedSearchOptions = {}): SearchIndex {
  const { snapshotPath, snapshotDelayMs = 2000 } = options;
  const warn = options.warn ?? ((message: string) => console.warn(message));
  let engine = new MiniSearch<ThreadDocument>(INDEX_OPTIONS);
  const documents = new Map<number, ThreadDocument>();
  let loading: Promise<void> | undefined;

  const saver: DebouncedTask | undefined =
    snapshotPath === undefined
      ? undefined
      : debounce(
          () => writeFileAtomically(snapshotPath, serialize()),
          snapshotDelayMs,
          (error) => warn(`search: could not save the snapshot ${snapshotPath}: ${String(error)}`),
        );

  function serialize(): string {
    const snapshot: Snapshot = {
      format: SNAPSHOT_FORMAT,
      documentVersion: SEARCH_DOCUMENT_VERSION,
      indexLayout: INDEX_LAYOUT,
      index: engine.toJSON(),
      documents: [...documents.values()],
    };
    return JSON.stringify(snapshot);
  }

  async function loadSnapshot(path: string): Promise<void> {
    const discard = (reason: string): void =>
      warn(`search: ignoring the snapshot ${path} because ${reason}; the index starts empty and is rebuilt.`);
    let text: string | undefined;
    try {
      text = await readOptionalFile(path);
    } catch (error) {
      return discard(`it cannot be read (${String(error)})`);
    }
    if (text === undefined) return;
    const snapshot = parseSnapshot(text);
    if (typeof snapshot === 'string') return discard(snapshot);
    try {
      const loaded = await MiniSearch.loadJSAsync<ThreadDocument>(snapshot.index, INDEX_OPTIONS);
      if (loaded.documentCount !== snapshot.documents.length) return discard('its index and documents disagree');
      engine = loaded;
    } catch (error) {
      return discard(`its index is damaged (${String(error)})`);
    }
    for (const document of snapshot.documents) documents.set(document.id, document);
  }

  function ensureReady(): Promise<void> {
    loading ??= snapshotPath === undefined ? Promise.resolve() : loadSnapshot(snapshotPath);
    return loading;
  }

  function changed(): void {
    saver?.schedule();
  }

  function documentOf(match: Match): ThreadDocument | undefined {
    return documents.get(match.id as number);
  }

  function search(text: string, searchOptions: SearchOptions, accept: DocumentFilter): Match[] {
    const filter = (match: Match): boolean => {
      const document = documentOf(match);
      return document !== undefined && accept(document);
    };
    return engine.search(text, { ...searchOptions, filter });
  }

  /** Best first; an empty query matches everything, most recently active first (as a browse). */
  function ranked(words: string[], accept: DocumentFilter): Ranked[] {
    if (words.length === 0) {
      return [...documents.values()]
        .filter(accept)
        .sort((a, b) => b.lastActivityAt - a.lastActivityAt)
        .map((document) => ({ document, terms: [] }));
    }
    const text = words.join(' ');
    let matches = search(text, { ...SEARCH_OPTIONS, combineWith: 'AND' }, accept);
    if (matches.length === 0 && words.length > 1) matches = search(text, { ...SEARCH_OPTIONS, combineWith: 'OR' }, accept);
    return matches.flatMap((match) => {
      const document = documentOf(match);
      return document === undefined ? [] : [{ document, terms: match.terms }];
    });
  }

  return {
    kind: 'embedded',
    ensureReady,

    async upsert(batch) {
      await ensureReady();
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
        if (!documents.delete(id)) continue;
        engine.discard(id);
        changed();
      }
    },

    async versions(ids) {
      await ensureReady();
      const found = new Map<number, number>();
      for (const id of ids) {
        const document = documents.get(id);
        if (document !== undefined) found.set(id, document.version);
      }
      return found;
    },

    async search(query) {
      await ensureReady();
      if (query.readableCommunityIds.length === 0) return { hits: [], total: 0, facets: emptyFacets() };
      const matches = ranked(queryWords(query.q), documentFilter(query));
      const page = matches.slice(query.offset, query.offset + query.limit);
      return {
        hits: page.map(({ document, terms }) => toHit(document, terms)),
        total: matches.length,
        facets: facetsOf(matches.map(({ document }) => document)),
      };
    },

    async similar(query) {
      await ensureReady();
      const text = similarQueryText(query);
      if (text === '' || query.readableCommunityIds.length === 0) return [];
      const excluded = new Set(query.excludeIds ?? []);
      const accept = documentFilter(query);
      return search(text, SIMILAR_OPTIONS, (document) => !excluded.has(document.id) && accept(document))
        .slice(0, query.limit)
        .flatMap((match): SimilarHit[] => {
          const document = documentOf(match);
          if (document === undefined) return [];
          const { id, communityId, status, replyCount } = document;
          return [{ id, communityId, status, replyCount, score: match.score }];
        });
    },

    async count() {
      await ensureReady();
      return documents.size;
    },

    async clear() {
      await ensureReady();
      engine.removeAll();
      documents.clear();
      changed();
    },

    async close() {
      if (loading === undefined) return;
      await loading;
      await saver?.flush();
    },
  };
}
