import { createEmbeddedSearchIndex } from './embedded.js';
import { createMeilisearchIndex } from './meilisearch.js';
import type { SearchIndex } from './types.js';

export interface SearchIndexConfig {
  /** When set, Meilisearch is used; otherwise the embedded engine. */
  meiliUrl?: string;
  meiliMasterKey?: string;
  /** The embedded engine's snapshot file. */
  snapshotPath?: string;
}

export function createSearchIndex(config: SearchIndexConfig): SearchIndex {
  if (config.meiliUrl) return createMeilisearchIndex({ url: config.meiliUrl, apiKey: config.meiliMasterKey });
  return createEmbeddedSearchIndex({ snapshotPath: config.snapshotPath });
}
