import { markdownToText } from '@praxis/domain';
import { SEARCH_DOCUMENT_VERSION, type ThreadDocument } from './types.js';

/** The thread row fields a document is built from (structurally typed: this package never sees the db). */
export interface ThreadForIndex {
  id: number;
  communityId: number;
  authorId: number | null;
  title: string;
  tags: string[];
  status: ThreadDocument['status'];
  kind: ThreadDocument['kind'];
  replyCount: number;
  score: number;
  createdAt: Date;
  lastActivityAt: Date;
}

/** One thread and its visible posts (the caller leaves out hidden and deleted ones) as a search document. */
export function toThreadDocument(thread: ThreadForIndex, visiblePosts: { number: number; body: string }[]): ThreadDocument {
  const opening = visiblePosts.find((p) => p.number === 1);
  return {
    id: thread.id,
    version: SEARCH_DOCUMENT_VERSION,
    communityId: thread.communityId,
    title: thread.title,
    tags: thread.tags,
    status: thread.status,
    kind: thread.kind,
    body: opening ? markdownToText(opening.body) : '',
    replies: visiblePosts
      .filter((p) => p.number !== 1)
      .map((p) => markdownToText(p.body))
      .join('\n'),
    authorId: thread.authorId,
    replyCount: thread.replyCount,
    score: thread.score,
    createdAt: thread.createdAt.getTime(),
    lastActivityAt: thread.lastActivityAt.getTime(),
  };
}

/** Bump when the guide document changes: the guide reconciler then re-indexes every published guide. */
export const GUIDE_DOCUMENT_VERSION = 1;

/** The guide row fields a document is built from. */
export interface GuideForIndex {
  id: number;
  communityId: number;
  ownerId: number | null;
  title: string;
  body: string;
  tags: string[];
  publishedAt: Date | null;
  updatedAt: Date;
}

/**
 * A published guide as a document of the same port (a second index, 'guides'): its title and body
 * are what `search` and `similar` match; status is always 'solved' (a guide answers its question).
 * Only published guides are ever indexed, so the community filter is the whole permission filter.
 */
export function toGuideDocument(guide: GuideForIndex): ThreadDocument {
  return {
    id: guide.id,
    version: GUIDE_DOCUMENT_VERSION,
    communityId: guide.communityId,
    title: guide.title,
    tags: guide.tags,
    status: 'solved',
    kind: 'discussion',
    body: markdownToText(guide.body),
    replies: '',
    authorId: guide.ownerId,
    replyCount: 0,
    score: 0,
    createdAt: (guide.publishedAt ?? guide.updatedAt).getTime(),
    lastActivityAt: guide.updatedAt.getTime(),
  };
}
