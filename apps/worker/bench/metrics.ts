/** Ranking and load metrics of the protocol, macro-averaged over the test questions. */

export interface Metrics {
  n: number;
  mrr: number;
  s1: number;
  s3: number;
  s5: number;
  s10: number;
  p5: number;
  /** An answerer among the first 2×k (the second round of notifications). */
  round2: number;
  /** The largest fraction of questions for which one expert was in the top k. */
  maxShare: number;
  /** Gini of top-k matches over all candidates (those never matched count as 0). */
  gini: number;
  /** Experts ever in a top k. */
  distinct: number;
  /** Per question, the rank of the first answerer (1-based; 0 = none ranked): what the bootstrap resamples. */
  firsts: number[];
}

export const K = 3;

export class MetricsAccumulator {
  #n = 0;
  #rr = 0;
  #s1 = 0;
  #s3 = 0;
  #s5 = 0;
  #s10 = 0;
  #p5 = 0;
  #round2 = 0;
  readonly #matches = new Map<number, number>();
  readonly #firsts: number[] = [];
  readonly #population: number;

  constructor(population: number) {
    this.#population = population;
  }

  /**
   * One test question: `ranking` is the ranker's order (user ids, best first; it may stop early), `round2`
   * the experts of the second round (default: places k+1…2k), `notified` the first round.
   */
  add(ranking: readonly number[], relevant: ReadonlySet<number>, round2?: readonly number[]): void {
    let first = 0;
    let hit5 = 0;
    for (let r = 0; r < ranking.length; r++) {
      if (relevant.has(ranking[r] as number)) {
        if (first === 0) first = r + 1;
        if (r < 5) hit5++;
      }
      if (first !== 0 && r >= 4) break;
    }
    this.#n++;
    this.#firsts.push(first);
    this.#rr += first ? 1 / first : 0;
    this.#s1 += first === 1 ? 1 : 0;
    this.#s3 += first && first <= 3 ? 1 : 0;
    this.#s5 += first && first <= 5 ? 1 : 0;
    this.#s10 += first && first <= 10 ? 1 : 0;
    this.#p5 += hit5 / 5;
    const second = round2 ?? ranking.slice(K, 2 * K);
    this.#round2 += (first && first <= K) || second.some((u) => relevant.has(u)) ? 1 : 0;
    for (const u of ranking.slice(0, K)) this.#matches.set(u, (this.#matches.get(u) ?? 0) + 1);
  }

  result(): Metrics {
    const n = Math.max(1, this.#n);
    let max = 0;
    for (const v of this.#matches.values()) max = Math.max(max, v);
    return {
      n: this.#n,
      mrr: this.#rr / n,
      s1: this.#s1 / n,
      s3: this.#s3 / n,
      s5: this.#s5 / n,
      s10: this.#s10 / n,
      p5: this.#p5 / n,
      round2: this.#round2 / n,
      maxShare: this.#n ? max / this.#n : 0,
      gini: gini([...this.#matches.values()], Math.max(this.#population, this.#matches.size)),
      distinct: this.#matches.size,
      firsts: [...this.#firsts],
    };
  }
}

/** Gini coefficient of `values` padded with zeros to `population` entries. */
export function gini(values: number[], population: number): number {
  const sorted = [...values, ...new Array<number>(Math.max(0, population - values.length)).fill(0)].sort((a, b) => a - b);
  const total = sorted.reduce((s, v) => s + v, 0);
  if (total === 0 || sorted.length === 0) return 0;
  let weighted = 0;
  sorted.forEach((v, i) => (weighted += (i + 1) * v));
  const m = sorted.length;
  return (2 * weighted) / (m * total) - (m + 1) / m;
}
