import { describe, expect, it } from 'vitest';
import { appendPosts, patchHead, replacePost } from './live-thread';
import type { Post, ThreadDetail } from './types';

const post = (id: number, number: number, extra: Partial<Post> = {}) =>
  ({ id, number, body: `p${id}`, isSolution: false, ...extra }) as Post;

describe('patching an open thread page', () => {
  it('appends only posts it does not show, in number order', () => {
    const shown = [post(1, 1), post(2, 2)];
    expect(appendPosts(shown, [post(2, 2), post(4, 4), post(3, 3)]).map((p) => p.id)).toEqual([1, 2, 3, 4]);
    expect(appendPosts(shown, [post(2, 2)])).toBe(shown);
  });

  it('replaces a changed post in place, and ignores one from another page', () => {
    const shown = [post(1, 1), post(2, 2)];
    expect(replacePost(shown, post(2, 2, { body: 'edited' })).map((p) => p.body)).toEqual(['p1', 'edited']);
    expect(replacePost(shown, post(9, 9))).toBe(shown);
  });

  it('takes the thread’s fields from a fresh head, keeps its posts and moves the solution mark', () => {
    const thread = {
      id: 5,
      title: 'Old',
      status: 'open',
      solutionPostId: null,
      nextCursor: null,
      posts: [post(1, 1), post(2, 2), post(3, 3, { isSolution: true })],
    } as unknown as ThreadDetail;
    const head = {
      id: 5,
      title: 'New title',
      status: 'solved',
      solutionPostId: 2,
      nextCursor: 'x',
      posts: [post(1, 1)],
    } as unknown as ThreadDetail;
    const patched = patchHead(thread, head);
    expect(patched).toMatchObject({ title: 'New title', status: 'solved', solutionPostId: 2, nextCursor: null });
    expect(patched.posts.map((p) => [p.id, p.isSolution])).toEqual([
      [1, false],
      [2, true],
      [3, false],
    ]);
  });
});
