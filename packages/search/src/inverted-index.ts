/**
 * Query execution over MiniSearch's inverted index.
 *
 * MiniSearch's own search() allocates and updates a result object for every posting of every matched
 * term; at 100k posts, queries with common words or short prefixes took 100–400 ms. Reading the postings
 * is cheap, so here the matching documents are found first (with the permission filter), and only those
 * are scored, with the same BM25 as MiniSearch. MiniSearch still tokenizes, indexes, removes, vacuums and
 * serializes.
 *
 * The fields read are MiniSearch internals: minisearch is pinned to 7.2.0, and the constructor checks
 * their shape so that an upgrade that changes them fails loudly.
 */
import type MiniSearch from 'minisearch';
import { Marks, ScoreBoard } from './scratch.js';

/** Field id → short document id → term frequency: how MiniSearch stores one term. */
type TermPostings = Map<number, Map<number, number>>;

interface TermTree {
  get(term: string): TermPostings | undefined;
  atPrefix(prefix: string): Iterable<[string, TermPostings]>;
  fuzzyGet(term: string, maxDistance: number): Map<string, [TermPostings, number]>;
}

interface Internals {
  _index: TermTree;
  /** Short id → document id, for the documents not removed. */
  _documentIds: Map<number, unknown>;
  /** Short ids are below it. */
  _nextId: number;
  _fieldIds: Record<string, number>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  _documentCount: number;
}

/** A normalized query word and how loosely it may match. */
export interface QueryTerm {
  text: string;
  prefix: boolean;
  maxTypos: number;
}

/** An indexed term a query term matches, weighted as MiniSearch weighs prefix and fuzzy matches. */
interface DerivedTerm {
  text: string;
  weight: number;
  postings: TermPostings;
}

export interface Scored {
  id: number;
  shortId: number;
  score: number;
}

export type FieldBoosts = Record<string, number>;

const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };

/** MiniSearch's BM25+, split so that the inverse document frequency is computed once per term and field. */
function inverseFrequency(matching: number, total: number): number {
  return Math.log(1 + (total - matching + 0.5) / (matching + 0.5));
}

function termWeight(termFrequency: number, fieldLength: number, averageLength: number): number {
  const { k, b, d } = BM25;
  return d + (termFrequency * (k + 1)) / (termFrequency + k * (1 - b + (b * fieldLength) / averageLength));
}

function internalsOf(engine: MiniSearch<never>): Internals {
  const internals = engine as unknown as Partial<Internals>;
  const usable =
    typeof internals._index?.atPrefix === 'function' &&
    internals._documentIds instanceof Map &&
    internals._fieldLength instanceof Map &&
    Array.isArray(internals._avgFieldLength) &&
    typeof internals._fieldIds === 'object' &&
    typeof internals._documentCount === 'number' &&
    typeof internals._nextId === 'number';
  if (!usable) throw new Error('search: this minisearch version lays out its index differently (7.2.0 expected)');
  return internals as Internals;
}

const scratch = { seen: new Marks(), containing: new Marks(), candidates: new Marks(), board: new ScoreBoard() };

/**
 * A view of the index for one query: the index must not change while it is used. Sets of documents are
 * lists of short ids, with scratch arrays indexed by short id where membership is tested per posting.
 */
export class InvertedIndex {
  readonly #index: Internals;
  readonly #fieldNames: Map<number, string>;
  readonly #expansions = new Map<string, DerivedTerm[]>();

  constructor(engine: MiniSearch<never>) {
    this.#index = internalsOf(engine);
    this.#fieldNames = new Map(Object.entries(this.#index._fieldIds).map(([name, id]) => [id, name]));
  }

  get documentCount(): number {
    return this.#index._documentCount;
  }

  /** The live documents (short ids) containing every term, among those `accept` lets through. */
  containingAll(terms: QueryTerm[], accept: (id: number) => boolean): number[] {
    const [first, ...rest] = terms.map((term) => this.#expand(term)).sort((a, b) => postingCount(a) - postingCount(b));
    if (first === undefined) return [];
    let shortIds = this.#documentsOf([first]);
    for (const derived of rest) {
      if (shortIds.length === 0) break;
      shortIds = this.#keepContaining(shortIds, derived);
    }
    return this.#accepted(shortIds, accept);
  }

  /** The live documents (short ids) containing any of the terms, among those `accept` lets through. */
  containingAny(terms: QueryTerm[], accept: (id: number) => boolean): number[] {
    return this.#accepted(this.#documentsOf(terms.map((term) => this.#expand(term))), accept);
  }

  /** Roughly how many documents contain the term, without reading its postings. */
  documentEstimate(term: QueryTerm): number {
    let estimate = 0;
    for (const { postings } of this.#expand(term)) estimate += Math.max(0, ...[...postings.values()].map((documents) => documents.size));
    return estimate;
  }

  /**
   * BM25 over the boosted fields, in no particular order. Like MiniSearch, a document's score is
   * multiplied by the number of query terms it matches, so matching more of them counts for more than
   * matching one often.
   */
  score(terms: QueryTerm[], candidates: number[], boosts: FieldBoosts): Scored[] {
    const size = this.#index._nextId;
    const isCandidate = scratch.candidates.reset(size);
    for (const shortId of candidates) isCandidate.add(shortId);
    scratch.board.reset(size, candidates);
    terms.forEach((term, termIndex) => {
      this.#forEachPosting(term, boosts, (shortId, score) => {
        if (isCandidate.has(shortId)) scratch.board.add(shortId, termIndex, score);
      });
    });
    const scored: Scored[] = [];
    for (const shortId of candidates) {
      const id = this.#index._documentIds.get(shortId);
      const score = scratch.board.scoreOf(shortId);
      if (typeof id === 'number' && score > 0) scored.push({ id, shortId, score });
    }
    return scored;
  }

  /** The indexed words of a document that the terms matched, and the fields they are in (for highlighting). */
  matchesOf(shortId: number, terms: QueryTerm[]): { words: string[]; fields: string[] } {
    const words = new Set<string>();
    const fields = new Set<string>();
    for (const term of terms) {
      for (const derived of this.#expand(term)) {
        for (const [fieldId, documents] of derived.postings) {
          if (!documents.has(shortId)) continue;
          words.add(derived.text);
          fields.add(this.#fieldNames.get(fieldId) ?? '');
        }
      }
    }
    return { words: [...words], fields: [...fields] };
  }

  /** Calls `visit` with each posting of the term in a boosted field, and its weighted BM25 score. */
  #forEachPosting(term: QueryTerm, boosts: FieldBoosts, visit: (shortId: number, score: number) => void): void {
    const { _documentCount: total, _fieldLength: lengths, _avgFieldLength: averages } = this.#index;
    for (const { weight, postings } of this.#expand(term)) {
      postings.forEach((documents, fieldId) => {
        const boost = boosts[this.#fieldNames.get(fieldId) ?? ''] ?? 0;
        if (boost === 0) return;
        const average = averages[fieldId] ?? 1;
        // Postings of replaced or removed documents stay until MiniSearch vacuums them: cap the count.
        const factor = weight * boost * inverseFrequency(Math.min(documents.size, total), total);
        documents.forEach((frequency, shortId) => {
          const length = lengths.get(shortId)?.[fieldId] ?? average;
          visit(shortId, factor * termWeight(frequency, length, average));
        });
      });
    }
  }

  #expand(term: QueryTerm): DerivedTerm[] {
    const key = `${term.text}|${term.prefix}|${term.maxTypos}`;
    let derived = this.#expansions.get(key);
    if (derived === undefined) {
      derived = this.#lookUp(term);
      this.#expansions.set(key, derived);
    }
    return derived;
  }

  /** The term itself, its completions when a prefix, its near spellings: weighted as MiniSearch does. */
  #lookUp({ text, prefix, maxTypos }: QueryTerm): DerivedTerm[] {
    const found = new Map<string, DerivedTerm>();
    const tree = this.#index._index;
    const exact = tree.get(text);
    if (exact !== undefined) found.set(text, { text, weight: 1, postings: exact });
    if (maxTypos > 0) {
      for (const [word, [postings, distance]] of tree.fuzzyGet(text, maxTypos)) {
        if (distance > 0) found.set(word, { text: word, weight: (FUZZY_WEIGHT * word.length) / (word.length + distance), postings });
      }
    }
    if (prefix) {
      // A word that is both a completion and a near spelling counts as a completion.
      for (const [word, postings] of tree.atPrefix(text)) {
        const distance = word.length - text.length;
        if (distance > 0) found.set(word, { text: word, weight: (PREFIX_WEIGHT * word.length) / (word.length + 0.3 * distance), postings });
      }
    }
    return [...found.values()];
  }

  /** The distinct short ids in the postings of the terms. */
  #documentsOf(terms: DerivedTerm[][]): number[] {
    const seen = scratch.seen.reset(this.#index._nextId);
    const shortIds: number[] = [];
    for (const derived of terms) {
      for (const { postings } of derived) {
        postings.forEach((documents) =>
          documents.forEach((_frequency, shortId) => {
            if (seen.has(shortId)) return;
            seen.add(shortId);
            shortIds.push(shortId);
          }),
        );
      }
    }
    return shortIds;
  }

  #keepContaining(shortIds: number[], derived: DerivedTerm[]): number[] {
    const maps = derived.flatMap(({ postings }) => [...postings.values()]);
    // Probing each candidate costs one lookup per map; reading the term's postings, one per posting.
    if (shortIds.length * maps.length < postingCount(derived)) {
      return shortIds.filter((shortId) => maps.some((documents) => documents.has(shortId)));
    }
    const containing = scratch.containing.reset(this.#index._nextId);
    for (const documents of maps) documents.forEach((_frequency, shortId) => containing.add(shortId));
    return shortIds.filter((shortId) => containing.has(shortId));
  }

  #accepted(shortIds: number[], accept: (id: number) => boolean): number[] {
    return shortIds.filter((shortId) => {
      const id = this.#index._documentIds.get(shortId);
      return typeof id === 'number' && accept(id);
    });
  }
}

function postingCount(derived: DerivedTerm[]): number {
  let count = 0;
  for (const { postings } of derived) for (const documents of postings.values()) count += documents.size;
  return count;
}
