/**
 * Bootstrap confidence intervals over the test questions (percentile method, fixed seed): for a metric of
 * one ranker, and for the paired difference of two rankers on the same questions (the same resampled
 * questions for both, so that what the questions have in common cancels out).
 */

export type MetricName = 'mrr' | 's1' | 's3' | 's5' | 's10';

/** The metric of one question from the rank of its first answerer (0 = none). */
function perQuestion(first: number, metric: MetricName): number {
  if (first === 0) return 0;
  switch (metric) {
    case 'mrr':
      return 1 / first;
    case 's1':
      return first <= 1 ? 1 : 0;
    case 's3':
      return first <= 3 ? 1 : 0;
    case 's5':
      return first <= 5 ? 1 : 0;
    case 's10':
      return first <= 10 ? 1 : 0;
  }
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const BOOTSTRAP_SEED = 20261204;
export const BOOTSTRAP_SAMPLES = 2000;

/** [2.5 %, 97.5 %] of the metric (or of a − b when `b` is given) over resampled question sets. */
export function bootstrapCI(
  a: readonly number[],
  metric: MetricName,
  b?: readonly number[],
  samples = BOOTSTRAP_SAMPLES,
  seed = BOOTSTRAP_SEED,
): [number, number] {
  const n = a.length;
  if (b !== undefined && b.length !== n) throw new Error('paired bootstrap needs the same questions');
  if (n === 0) return [0, 0];
  const va = a.map((f) => perQuestion(f, metric));
  const vb = b?.map((f) => perQuestion(f, metric));
  const rnd = mulberry32(seed);
  const stats = new Float64Array(samples);
  for (let s = 0; s < samples; s++) {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const j = Math.floor(rnd() * n);
      sum += (va[j] as number) - (vb === undefined ? 0 : (vb[j] as number));
    }
    stats[s] = sum / n;
  }
  stats.sort();
  const at = (p: number): number => stats[Math.min(samples - 1, Math.max(0, Math.floor(p * samples)))] as number;
  return [at(0.025), at(0.975)];
}
