import { describe, expect, it } from 'vitest';
import { coalesceKey, createCoalescer } from './coalesce.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A run that waits until the test lets it finish, recording what it saw when it started. */
function controlledWork(state: { value: number }, seen: number[]) {
  const releases: (() => void)[] = [];
  const work = () =>
    new Promise<'done'>((resolve, reject) => {
      seen.push(state.value);
      releases.push(() => (state.value < 0 ? reject(new Error('failed run')) : resolve('done')));
    });
  return { work, release: () => releases.shift()?.() };
}

describe('coalescing keyed rebuilds', () => {
  it('runs a burst as the running rebuild plus one that starts after every event of the burst', async () => {
    const coalesce = createCoalescer();
    const state = { value: 0 };
    const seen: number[] = [];
    const { work, release } = controlledWork(state, seen);
    state.value = 1;
    const first = coalesce('search:1', work);
    await tick();
    // Events 2..10 committed while the first rebuild runs.
    const burst: Promise<string>[] = [];
    for (let i = 2; i <= 10; i++) {
      state.value = i;
      burst.push(coalesce('search:1', work));
    }
    await tick();
    expect(seen).toEqual([1]);
    // All but the first of the burst returned at once: the queued rebuild does their work.
    const settled = await Promise.all(burst.slice(1));
    expect(settled.every((outcome) => outcome.startsWith('skipped:coalesced'))).toBe(true);
    release();
    expect(await first).toBe('done');
    await tick();
    // The queued rebuild started after the last event: it reads everything the burst wrote.
    expect(seen).toEqual([1, 10]);
    release();
    expect(await burst[0]).toBe('done');
  });

  it('keeps keys apart, and starts afresh once a key is idle', async () => {
    const coalesce = createCoalescer();
    let runs = 0;
    const work = async () => {
      runs += 1;
      return 'done' as const;
    };
    await Promise.all([coalesce('trust:1', work), coalesce('trust:2', work)]);
    expect(runs).toBe(2);
    await coalesce('trust:1', work);
    await coalesce('trust:1', work);
    expect(runs).toBe(4);
  });

  it('fails the job that queued a rebuild when it fails, so the retry rebuilds for the whole burst', async () => {
    const coalesce = createCoalescer();
    const state = { value: 0 };
    const seen: number[] = [];
    const { work, release } = controlledWork(state, seen);
    const first = coalesce('trust:7', work);
    await tick();
    const owner = coalesce('trust:7', work);
    const rider = coalesce('trust:7', work);
    expect(await rider).toMatch(/^skipped:coalesced/);
    release();
    await first;
    await tick();
    state.value = -1;
    release();
    await expect(owner).rejects.toThrow('failed run');
    // The key is free again: the retry runs.
    state.value = 3;
    const retry = coalesce('trust:7', work);
    await tick();
    release();
    expect(await retry).toBe('done');
    expect(seen).toEqual([0, 0, 3]);
  });

  it('coalesces only work that is the same whatever event asked for it', () => {
    const created = { type: 'post.created', payload: { postId: 5, threadId: 2, communityId: 1, authorId: 9 } };
    expect(coalesceKey('search.index-thread', created)).toBe('search:2');
    expect(coalesceKey('search.index-thread', { type: 'post.hidden', payload: { postId: 5, threadId: 2 } })).toBe('search:2');
    expect(coalesceKey('trust.update', created)).toBe('trust:9');
    expect(coalesceKey('trust.update', { type: 'solution.accepted', payload: { postId: 5, threadId: 2 } })).toBeNull();
    expect(coalesceKey('experts.update-stats', created)).toBe('expertise:9:2');
    expect(coalesceKey('experts.update-stats', { type: 'post.voted', payload: { postId: 5, threadId: 2 } })).toBeNull();
    expect(coalesceKey('notify.post', created)).toBeNull();
    expect(coalesceKey('realtime.publish', created)).toBeNull();
  });
});
