/** Bump when the document shape or index settings change: the reconciler then re-indexes every thread. */
export const SEARCH_DOCUMENT_VERSION = 1;

/** One thread with its visible posts, as plain text (markdown stripped). */
export interface ThreadDocument {
  id: number;
  version: number;
  communityId: number;
  title: string;
  tags: string[];
  status: 'open' | 'solved' | 'locked';
  kind: 'question' | 'discussion';
  /** The opening post. */
  body: string;
  /** The other visible posts (hidden and deleted ones are never indexed), joined. */
  replies: string;
  authorId: number | null;
  replyCount: number;
  score: number;
  /** Epoch milliseconds. */
  createdAt: number;
  lastActivityAt: number;
}

export interface SearchQuery {
  q: string;
  /**
   * The communities the viewer may read. Required: results outside it are never returned, so a caller
   * cannot forget the permission filter. An empty list returns nothing.
   */
  readableCommunityIds: number[];
  communityId?: number;
  tag?: string;
  status?: 'open' | 'solved' | 'locked';
  limit: number;
  offset: number;
}

export interface SearchHit {
  id: number;
  communityId: number;
  tags: string[];
  status: ThreadDocument['status'];
  replyCount: number;
  lastActivityAt: number;
  /** Safe HTML: the text is escaped and matched terms are wrapped in <mark>. */
  titleHtml: string;
  snippetHtml: string;
}

export interface SearchResult {
  hits: SearchHit[];
  /** Total matches (may be an estimate for Meilisearch). */
  total: number;
  /** Counts over all matches (not only this page), after the permission filter. */
  facets: { communityId: Record<string, number>; tags: Record<string, number>; status: Record<string, number> };
}

export interface SimilarQuery {
  title: string;
  body?: string;
  readableCommunityIds: number[];
  communityId?: number;
  limit: number;
  /** Thread ids to leave out (the thread itself). */
  excludeIds?: number[];
  /**
   * What of a thread is matched: 'question' (default) the title and opening post, as the ask page's
   * suggestions need; 'all' also the other posts (the answers), as expert matching needs.
   */
  fields?: 'question' | 'all';
}

export interface SimilarHit {
  id: number;
  communityId: number;
  status: ThreadDocument['status'];
  replyCount: number;
  /** Relevance, higher is closer; comparable only within one response. */
  score: number;
}

/**
 * The search port. Only the worker writes to it; the API reads. Two adapters pass one contract
 * suite: Meilisearch and an embedded engine snapshotted to disk.
 */
export interface SearchIndex {
  readonly kind: 'embedded' | 'meilisearch';
  /** Creates the index and applies its settings; idempotent. */
  ensureReady(): Promise<void>;
  /** Inserts or replaces by id. Resolves only once the documents are searchable. */
  upsert(documents: ThreadDocument[]): Promise<void>;
  remove(ids: number[]): Promise<void>;
  /** Of these ids, the ones present in the index, with their document version. */
  versions(ids: number[]): Promise<Map<number, number>>;
  search(query: SearchQuery): Promise<SearchResult>;
  similar(query: SimilarQuery): Promise<SimilarHit[]>;
  count(): Promise<number>;
  /** Removes every document (a full rebuild follows). */
  clear(): Promise<void>;
  /** Persists what must survive a restart, then releases resources. */
  close(): Promise<void>;
}
