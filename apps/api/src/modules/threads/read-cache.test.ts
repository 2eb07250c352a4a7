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
});
