/** The search page's query, as read from and written to its URL (pure, unit-tested). */

export const THREAD_STATUSES = ['open', 'solved', 'locked'] as const;
export type ThreadStatus = (typeof THREAD_STATUSES)[number];

export const STATUS_LABELS: Record<ThreadStatus, string> = { open: 'Open', solved: 'Solved', locked: 'Locked' };

export interface SearchParams {
  q: string;
  community: string | null;
  tag: string | null;
  status: ThreadStatus | null;
  cursor: string | null;
}

const isStatus = (value: string | null): value is ThreadStatus => THREAD_STATUSES.includes(value as ThreadStatus);

/** ?q=&community=&tag=&status=&cursor= → the query (trimmed; unknown statuses and malformed cursors dropped). */
export function readSearchParams(search: URLSearchParams): SearchParams {
  const text = (name: string) => search.get(name)?.trim() || null;
  const status = text('status');
  const cursor = text('cursor');
  return {
    q: (search.get('q') ?? '').trim().slice(0, 200),
    community: text('community')?.toLowerCase() ?? null,
    tag: text('tag')?.toLowerCase() ?? null,
    status: isStatus(status) ? status : null,
    cursor: cursor && /^[0-9]{1,20}$/.test(cursor) ? cursor : null,
  };
}

/** The URL of a search: `base` with some parts changed (null removes one). A change of filter starts at the first page. */
export function searchHref(base: SearchParams, change: Partial<SearchParams> = {}): string {
  const next = { ...base, cursor: null, ...change };
  const params = new URLSearchParams();
  if (next.q) params.set('q', next.q);
  if (next.community) params.set('community', next.community);
  if (next.tag) params.set('tag', next.tag);
  if (next.status) params.set('status', next.status);
  if (next.cursor) params.set('cursor', next.cursor);
  const qs = params.toString();
  return `/search${qs ? `?${qs}` : ''}`;
}
