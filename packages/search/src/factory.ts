import { createEmbeddedSearchIndex } from './embedded.js';
import { createMeilisearchIndex } from './meilisearch.js';
import type { SearchIndex } from './types.js';

export interface SearchIndexConfig {
  /** When set, Meilisearch is used; otherwise the embedded engine. */
  meiliUrl?: string;
  meiliMasterKey?: string;
  /** The embedded engine's snapshot file. */
  snapshotPath?: string;
  /**
   * The Meilisearch index uid. Default 'threads'; guides live in a second instance of the same port
   * ('guides', with its own snapshot file when embedded).
   */
  indexName?: string;
}

export function createSearchIndex(config: SearchIndexConfig): SearchIndex {
  if (config.meiliUrl)
    return createMeilisearchIndex({
      url: config.meiliUrl,
      apiKey: config.meiliMasterKey,
      ...(config.indexName !== undefined && { indexName: config.indexName }),
    });
  return createEmbeddedSearchIndex({ snapshotPath: config.snapshotPath });
}
