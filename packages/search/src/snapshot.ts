/** The embedded index's MiniSearch engine and its snapshot file format. */
import MiniSearch, { type AsPlainObject, type Options } from 'minisearch';
import { readOptionalFile } from './files.js';
import { normalizeWord, tokenize } from './highlight.js';
import { SEARCH_DOCUMENT_VERSION, type ThreadDocument } from './types.js';

export interface IndexState {
  engine: MiniSearch<ThreadDocument>;
  /** The documents, whole: snippets are cut from their text. */
  documents: Map<number, ThreadDocument>;
}

const INDEX_OPTIONS: Options<ThreadDocument> = {
  fields: ['title', 'tags', 'body', 'replies'],
  // The documents are kept beside the index, so nothing is stored twice.
  storeFields: [],
  extractField: fieldValue,
  tokenize,
  processTerm: normalizeWord,
};

/**
 * Saved in the snapshot: an index built with other fields or another tokenization is not loaded. Change
 * it with INDEX_OPTIONS.
 */
const INDEX_LAYOUT = 'fields=title,tags,body,replies;words=letters+marks+digits;terms=lowercase,no-diacritics';
const SNAPSHOT_FORMAT = 1;

interface Snapshot {
  format: number;
  documentVersion: number;
  indexLayout: string;
  index: AsPlainObject;
  documents: ThreadDocument[];
}

/** Also reads the id, which must stay a number. */
function fieldValue(document: ThreadDocument, field: string): unknown {
  const value = document[field as keyof ThreadDocument];
  return Array.isArray(value) ? value.join(' ') : value;
}

export function emptyState(): IndexState {
  return { engine: new MiniSearch<ThreadDocument>(INDEX_OPTIONS), documents: new Map() };
}

export function serializeSnapshot({ engine, documents }: IndexState): string {
  const snapshot: Snapshot = {
    format: SNAPSHOT_FORMAT,
    documentVersion: SEARCH_DOCUMENT_VERSION,
    indexLayout: INDEX_LAYOUT,
    index: engine.toJSON(),
    documents: [...documents.values()],
  };
  return JSON.stringify(snapshot);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The snapshot, or why it cannot be used. */
function parseSnapshot(text: string): Snapshot | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `it is not valid JSON (${String(error)})`;
  }
  if (!isRecord(value) || value.format !== SNAPSHOT_FORMAT) return 'its format is unknown';
  if (value.documentVersion !== SEARCH_DOCUMENT_VERSION) {
    return `it holds document version ${String(value.documentVersion)}, not ${SEARCH_DOCUMENT_VERSION}`;
  }
  if (value.indexLayout !== INDEX_LAYOUT) return 'it was built with other index options';
  if (!isRecord(value.index) || !Array.isArray(value.documents)) return 'it is incomplete';
  return value as unknown as Snapshot;
}

/** The state saved at `path`; undefined without a file; a string saying why a file cannot be used. */
export async function readSnapshot(path: string): Promise<IndexState | string | undefined> {
  let text: string | undefined;
  try {
    text = await readOptionalFile(path);
  } catch (error) {
    return `it cannot be read (${String(error)})`;
  }
  if (text === undefined) return undefined;
  const snapshot = parseSnapshot(text);
  if (typeof snapshot === 'string') return snapshot;
  let engine: MiniSearch<ThreadDocument>;
  try {
    // loadJSAsync yields between chunks but is 5 times slower; this runs once, before the index is used.
    engine = MiniSearch.loadJS<ThreadDocument>(snapshot.index, INDEX_OPTIONS);
  } catch (error) {
    return `its index is damaged (${String(error)})`;
  }
  if (engine.documentCount !== snapshot.documents.length) return 'its index and documents disagree';
  return { engine, documents: new Map(snapshot.documents.map((document) => [document.id, document])) };
}
