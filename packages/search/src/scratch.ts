/**
 * Per-document scratch space for queries, indexed by MiniSearch short id and reused across queries.
 * Short ids only grow (a replaced document gets a new one), so arrays of that size allocated per query
 * would cost more and more over the life of an index. Queries run synchronously, so one instance of each
 * is shared.
 */

function grown<T extends Uint32Array | Float64Array | Uint8Array | Int32Array>(array: T, size: number, make: (size: number) => T): T {
  return array.length >= size ? array : make(Math.ceil(size * 1.5));
}

/** A set of short ids, emptied in constant time by starting a new generation. */
export class Marks {
  #generations = new Uint32Array(0);
  #generation = 0;

  /** Empties the set and makes room for short ids below `size`. */
  reset(size: number): this {
    this.#generations = grown(this.#generations, size, (length) => new Uint32Array(length));
    this.#generation++;
    if (this.#generation === 0xffffffff) {
      this.#generations.fill(0);
      this.#generation = 1;
    }
    return this;
  }

  add(shortId: number): void {
    this.#generations[shortId] = this.#generation;
  }

  has(shortId: number): boolean {
    return this.#generations[shortId] === this.#generation;
  }
}

/** Score accumulators; only the entries of the documents being scored are reset. */
export class ScoreBoard {
  #totals = new Float64Array(0);
  #matchedTerms = new Uint8Array(0);
  #lastTerm = new Int32Array(0);

  reset(size: number, shortIds: number[]): void {
    this.#totals = grown(this.#totals, size, (length) => new Float64Array(length));
    this.#matchedTerms = grown(this.#matchedTerms, size, (length) => new Uint8Array(length));
    this.#lastTerm = grown(this.#lastTerm, size, (length) => new Int32Array(length));
    for (const shortId of shortIds) {
      this.#totals[shortId] = 0;
      this.#matchedTerms[shortId] = 0;
      this.#lastTerm[shortId] = -1;
    }
  }

  add(shortId: number, termIndex: number, score: number): void {
    this.#totals[shortId] = (this.#totals[shortId] ?? 0) + score;
    if (this.#lastTerm[shortId] === termIndex) return;
    this.#lastTerm[shortId] = termIndex;
    this.#matchedTerms[shortId] = (this.#matchedTerms[shortId] ?? 0) + 1;
  }

  /** Like MiniSearch: the sum over the terms times the number of terms matched. */
  scoreOf(shortId: number): number {
    return (this.#totals[shortId] ?? 0) * (this.#matchedTerms[shortId] ?? 0);
  }
}
