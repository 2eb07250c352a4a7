export * from './types.js';
export { createEmbeddedSearchIndex, type EmbeddedSearchOptions } from './embedded.js';
export { createMeilisearchIndex, type MeilisearchIndexOptions } from './meilisearch.js';
export { createSearchIndex, type SearchIndexConfig } from './factory.js';
export { GUIDE_DOCUMENT_VERSION, toGuideDocument, toThreadDocument, type GuideForIndex, type ThreadForIndex } from './document.js';
