import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { describeSearchIndexContract, thread } from './contract.js';
import { createEmbeddedSearchIndex } from './embedded.js';
import { SEARCH_DOCUMENT_VERSION, type SearchQuery } from './types.js';

describeSearchIndexContract('embedded', async () => createEmbeddedSearchIndex());

describe('embedded similar()', () => {
  it('leaves out words too common to tell threads apart', async () => {
    const index = createEmbeddedSearchIndex();
    const common = Array.from({ length: 600 }, (_, i) => thread(i + 1, { title: `Beer question ${i}` }));
    await index.upsert([...common, thread(1000, { title: 'Beer with sour cherries' })]);
    const hits = await index.similar({ title: 'beer cherries', readableCommunityIds: [1], limit: 10 });
    expect(hits.map((hit) => hit.id)).toEqual([1000]);
  });
});

const DOCUMENTS = [
  thread(1, { title: 'Stuck fermentation in my stout', body: 'The airlock stopped bubbling.', tags: ['stout'] }),
  thread(2, { title: 'Choosing hops', body: 'Cascade or Citra?', communityId: 2 }),
];

function query(q: string): SearchQuery {
  return { q, readableCommunityIds: [1, 2], limit: 10, offset: 0 };
}

describe('embedded snapshots', () => {
  let dir: string;
  let snapshotPath: string;
  const warn = vi.fn<(message: string) => void>();

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'praxis-search-'));
    snapshotPath = join(dir, 'nested', 'search.json');
    warn.mockClear();
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** An index whose debounce never fires during a test: only close() saves. */
  function open() {
    return createEmbeddedSearchIndex({ snapshotPath, snapshotDelayMs: 60_000, warn });
  }

  async function writeIndexedSnapshot(): Promise<void> {
    const index = open();
    await index.upsert(DOCUMENTS);
    await index.close();
  }

  it('restores the index from the snapshot saved on close', async () => {
    await writeIndexedSnapshot();
    const reopened = open();
    await reopened.ensureReady();
    expect(await reopened.count()).toBe(2);
    const result = await reopened.search(query('ferm'));
    expect(result.hits.map((hit) => hit.id)).toEqual([1]);
    expect(result.hits[0]?.titleHtml).toBe('Stuck <mark>fermentation</mark> in my stout');
    expect(result.hits[0]?.snippetHtml).toBe('The airlock stopped bubbling.');
    expect(await reopened.versions([1, 2])).toEqual(
      new Map([
        [1, SEARCH_DOCUMENT_VERSION],
        [2, SEARCH_DOCUMENT_VERSION],
      ]),
    );
    expect(warn).not.toHaveBeenCalled();
  });

  it('keeps writes and removals made after a restore', async () => {
    await writeIndexedSnapshot();
    const second = open();
    await second.remove([1]);
    await second.upsert([thread(3, { title: 'Bottle conditioning' })]);
    await second.close();
    const third = open();
    expect((await third.search(query('stout'))).hits).toEqual([]);
    expect((await third.search(query('bottle'))).hits.map((hit) => hit.id)).toEqual([3]);
    expect(await third.count()).toBe(2);
  });

  it('writes nothing before the delay, and no temporary file is left behind', async () => {
    const index = open();
    await index.upsert(DOCUMENTS);
    expect(await readdir(dir)).toEqual([]);
    await index.close();
    expect(await readdir(join(dir, 'nested'))).toEqual(['search.json']);
  });

  it('starts empty without a snapshot file', async () => {
    const index = open();
    await index.ensureReady();
    expect(await index.count()).toBe(0);
    expect(warn).not.toHaveBeenCalled();
  });

  it('ignores a corrupt snapshot with a warning, and replaces it on the next save', async () => {
    await writeIndexedSnapshot();
    const text = await readFile(snapshotPath, 'utf8');
    await writeFile(snapshotPath, text.slice(0, text.length / 2));
    const index = open();
    await index.ensureReady();
    expect(await index.count()).toBe(0);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('ignoring the snapshot'));
    await index.upsert([thread(5, { title: 'Kegging' })]);
    await index.close();
    expect(await open().count()).toBe(1);
  });

  it('ignores a snapshot that is valid JSON of another shape', async () => {
    await writeFile(snapshotPath.replace('nested/', ''), '{"hello": "world"}');
    const index = createEmbeddedSearchIndex({ snapshotPath: snapshotPath.replace('nested/', ''), warn });
    expect(await index.count()).toBe(0);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('discards a snapshot written for another document version', async () => {
    await writeIndexedSnapshot();
    const snapshot: unknown = JSON.parse(await readFile(snapshotPath, 'utf8'));
    await writeFile(snapshotPath, JSON.stringify({ ...(snapshot as object), documentVersion: SEARCH_DOCUMENT_VERSION + 1 }));
    const index = open();
    expect(await index.count()).toBe(0);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(`document version ${SEARCH_DOCUMENT_VERSION + 1}`));
  });

  it('discards a snapshot built with other index options', async () => {
    await writeIndexedSnapshot();
    const snapshot: unknown = JSON.parse(await readFile(snapshotPath, 'utf8'));
    await writeFile(snapshotPath, JSON.stringify({ ...(snapshot as object), indexLayout: 'fields=title' }));
    const index = open();
    expect(await index.count()).toBe(0);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('other index options'));
  });

  it('coalesces a burst of writes into one delayed save', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const index = createEmbeddedSearchIndex({ snapshotPath, snapshotDelayMs: 1000, warn });
      await index.upsert(DOCUMENTS);
      await index.upsert([thread(3)]);
      expect(vi.getTimerCount()).toBe(1);
      vi.advanceTimersByTime(1000);
      expect(vi.getTimerCount()).toBe(0);
      // close() waits for the save the timer started, and has nothing left to save itself.
      await index.close();
      expect(await open().count()).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });
});
