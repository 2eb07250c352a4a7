import type { Post, ThreadDetail } from '$lib/types';
import type { ThreadMatching } from '$lib/expertise';

/**
 * What an open thread page fetches when a live event says something changed: only that part, straight from the
 * API (same origin, the session cookie), never the whole page load again.
 */
async function getJson<T>(path: string): Promise<{ ok: true; data: T } | { ok: false; status: number }> {
  try {
    const response = await fetch(path, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
    return response.ok ? { ok: true, data: (await response.json()) as T } : { ok: false, status: response.status };
  } catch {
    return { ok: false, status: 0 };
  }
}

export interface PostsAfter {
  items: Post[];
  more: boolean;
  totalPosts: number;
}

/** The posts after number `after` that the viewer may see. */
export const fetchPostsAfter = (threadId: number, after: number) => getJson<PostsAfter>(`/api/v1/threads/${threadId}/posts?after=${after}`);
/** One post as the viewer may see it now. */
export const fetchPost = (postId: number) => getJson<Post>(`/api/v1/posts/${postId}`);
/** The thread's own fields (title, tags, status, solution, counts) with its opening post only. */
export const fetchThreadHead = (threadId: number) => getJson<ThreadDetail>(`/api/v1/threads/${threadId}?limit=1`);
/** The matching panel's part of the page. */
export const fetchMatching = (threadId: number) => getJson<ThreadMatching>(`/api/v1/threads/${threadId}/matching`);

/** `posts` with `more` appended (those not already there), in post number order. */
export function appendPosts(posts: Post[], more: Post[]): Post[] {
  const known = new Set(posts.map((p) => p.id));
  const added = more.filter((p) => !known.has(p.id));
  return added.length === 0 ? posts : [...posts, ...added].sort((a, b) => a.number - b.number);
}

/** `posts` with `post` in place of the one with its id (unchanged when it is not there). */
export function replacePost(posts: Post[], post: Post): Post[] {
  return posts.some((p) => p.id === post.id) ? posts.map((p) => (p.id === post.id ? post : p)) : posts;
}

/** The thread's fields from a fresh head, keeping the posts this page shows (their solution marks follow the head). */
export function patchHead(thread: ThreadDetail, head: ThreadDetail): ThreadDetail {
  const { posts: _opening, nextCursor: _cursor, ...fields } = head;
  return {
    ...thread,
    ...fields,
    posts: thread.posts.map((p) =>
      p.isSolution === (p.id === head.solutionPostId) ? p : { ...p, isSolution: p.id === head.solutionPostId },
    ),
  };
}
