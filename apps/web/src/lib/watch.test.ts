import { describe, expect, it } from 'vitest';
import { explainWatch, isWatchLevel, WATCH_LEVELS } from './watch';

describe('watch levels', () => {
  it('knows the four levels', () => {
    expect(WATCH_LEVELS.every(isWatchLevel)).toBe(true);
    expect(isWatchLevel('ignoring')).toBe(false);
    expect(isWatchLevel(undefined)).toBe(false);
  });
  it('explains watching per target', () => {
    expect(explainWatch('watching', 'thread')).toMatch(/every new post/);
    expect(explainWatch('watching', 'community')).toMatch(/every new thread/);
    expect(explainWatch('watching', 'tag')).toMatch(/every new thread with this tag/);
    expect(explainWatch('muted', 'thread')).toMatch(/not even for mentions/);
  });
});
