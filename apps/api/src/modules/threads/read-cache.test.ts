import { describe, expect, it } from 'vitest';
import { ThreadReadCache } from './read-cache.js';

describe('ThreadReadCache', () => {
  it('serves a value until it expires, its thread is invalidated or the cache is cleared', () => {
    const cache = new ThreadReadCache(1000);
    cache.set(1, 'a', 'one', 0, cache.version());
    cache.set(2, 'a', 'two', 0, cache.version());
    expect(cache.get(1, 'a', 999)).toBe('one');
    expect(cache.get(1, 'a', 1000)).toBeUndefined();
    cache.set(1, 'a', 'one', 0, cache.version());
    cache.invalidate(1);
    expect(cache.get(1, 'a', 1)).toBeUndefined();
    expect(cache.get(2, 'a', 1)).toBe('two');
    cache.clear();
    expect(cache.get(2, 'a', 1)).toBeUndefined();
  });

  it('refuses a value loaded across an invalidation or a clear (a reply is on the next read)', () => {
    const cache = new ThreadReadCache();
    const before = cache.version();
    cache.invalidate(7); // any thread: the loaded value may predate a write anywhere
    cache.set(1, 'a', 'stale', 0, before);
    expect(cache.get(1, 'a', 0)).toBeUndefined();
    const again = cache.version();
    cache.clear();
    cache.set(1, 'a', 'stale', 0, again);
    expect(cache.get(1, 'a', 0)).toBeUndefined();
    cache.set(1, 'a', 'fresh', 0, cache.version());
    expect(cache.get(1, 'a', 0)).toBe('fresh');
  });

  it('keeps at most maxEntries values, dropping the oldest', () => {
    const cache = new ThreadReadCache(10_000, 2);
    for (const id of [1, 2, 3]) cache.set(id, 'a', id, 0, cache.version());
    expect(cache.get(1, 'a', 0)).toBeUndefined();
    expect(cache.get<number>(3, 'a', 0)).toBe(3);
  });

  it('loads once for callers asking at the same time, and again after an invalidation', async () => {
    const cache = new ThreadReadCache();
    let loads = 0;
    const pending: (() => void)[] = [];
    const release = () => pending.splice(0).forEach((resolve) => resolve());
    const load = () => {
      const n = (loads += 1);
      return new Promise<number>((resolve) => pending.push(() => resolve(n)));
    };
    const first = cache.through(1, 's', load);
    const second = cache.through(1, 's', load);
    release();
    expect(await Promise.all([first, second])).toEqual([1, 1]);
    expect(loads).toBe(1);
    expect(await cache.through(1, 's', load)).toBe(1); // stored
    const during = cache.through(2, 's', load);
    cache.invalidate(2); // a write while it loads: not stored, and a later caller loads again
    const after = cache.through(2, 's', load);
    release();
    expect(await during).toBe(2);
    expect(await after).toBe(3);
    expect(loads).toBe(3);
    expect(await cache.through(2, 's', load)).toBe(3); // the load after the invalidation was stored
  });
});
