/**
 * The learned expert ranker: features per (question, candidate) from the history before the question,
 * and a linear model trained per community with a pairwise logistic loss (RankNet with a linear scorer):
 * for a past question, every answerer should score above every non-answerer.
 *
 * Pure (STYLE.md B3): training is deterministic (a seeded sample of negatives, full-batch Adam), and
 * scoring is a dot product over standardised features, so `rankExperts` stays a pure function given the
 * model. Why linear: it trains in about a second on a community's whole history, ranks 10,000 candidates
 * in a few milliseconds, and each feature's contribution w·x is the "why you" reason.
 * See docs/decisions/2026-12-04-learned-ranking.md.
 */
import type { RankingWeights } from './rank.js';
import { activityOf, tagExpertiseOf, topicalOf } from './signals.js';
import type { CommunityExpertiseTotals, ExpertCandidate } from './types.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export const expertFeatureNames = [
  'topical',
  'topicalThreads',
  'profile',
  'tagShare',
  'tagAnswers',
  'tagRecency',
  'answers',
  'recent1d',
  'recent7d',
  'recent30d',
  'recent90d',
  'daysSinceLast',
  'hourAffinity',
  'weekdayAffinity',
  'acceptedRate',
  'meanScore',
  'answerDelay',
  'coAnswer',
  'recent90Share',
  'weightedScore',
  'topicalActive',
  'tagActive',
] as const;
export type ExpertFeatureName = (typeof expertFeatureNames)[number];
export const FEATURE_COUNT = expertFeatureNames.length;

/** Below this many past questions with an answerer, a community is ranked by the weighted score (no model is trained). */
export const minTrainingQuestions = 30;

/** A model setting a community's model is chosen from, on that community's own past questions. */
export interface RankingModelSetting {
  label: string;
  loss: 'listwise' | 'pairwise';
  l2: number;
}

/** The settings compared on validation, by the worker (the block before its held-out one) and by bench:matching (rolling origins). */
export const rankingModelSettings: readonly RankingModelSetting[] = [
  { label: 'linear listwise, L2 0.01', loss: 'listwise', l2: 0.01 },
  { label: 'linear listwise, L2 0.1', loss: 'listwise', l2: 0.1 },
  { label: 'linear listwise, L2 1', loss: 'listwise', l2: 1 },
  { label: 'linear pairwise (RankNet), L2 0.01', loss: 'pairwise', l2: 0.01 },
  { label: 'linear pairwise (RankNet), L2 0.1', loss: 'pairwise', l2: 0.1 },
];

/** Feature groups: the ablation unit of the benchmark and the unit of a "why you" reason. */
export const expertFeatureGroups = {
  topical: ['topical', 'topicalThreads'],
  profile: ['profile'],
  tags: ['tagShare', 'tagAnswers', 'tagRecency'],
  activity: ['answers'],
  recency: ['recent1d', 'recent7d', 'recent30d', 'recent90d', 'daysSinceLast', 'recent90Share'],
  timeOfDay: ['hourAffinity', 'weekdayAffinity'],
  quality: ['acceptedRate', 'meanScore', 'answerDelay'],
  network: ['coAnswer'],
  weighted: ['weightedScore'],
  interactions: ['topicalActive', 'tagActive'],
} as const satisfies Record<string, readonly ExpertFeatureName[]>;
export type ExpertFeatureGroup = keyof typeof expertFeatureGroups;

const featureIndex = new Map<string, number>(expertFeatureNames.map((name, i) => [name, i]));
const groupOfFeature: ExpertFeatureGroup[] = expertFeatureNames.map(
  (name) =>
    (Object.keys(expertFeatureGroups) as ExpertFeatureGroup[]).find((g) =>
      (expertFeatureGroups[g] as readonly string[]).includes(name),
    ) as ExpertFeatureGroup,
);

/** A linear ranking model over standardised features: score = Σ weight·(x − mean)/scale. */
export interface RankingModel {
  kind: 'linear-pairwise';
  /** Feature names, in the order of mean/scale/weights (a model trained with other features still scores: unknown names count 0). */
  features: string[];
  mean: number[];
  scale: number[];
  weights: number[];
}

/** A stored model (JSON) if it has the shape of one, else null (the caller then uses the weighted score). */
export function parseRankingModel(value: unknown): RankingModel | null {
  if (typeof value !== 'object' || value === null) return null;
  const m = value as Partial<RankingModel>;
  const numbers = (xs: unknown): xs is number[] => Array.isArray(xs) && xs.every((x) => typeof x === 'number' && Number.isFinite(x));
  if (m.kind !== 'linear-pairwise' || !Array.isArray(m.features) || !m.features.every((f) => typeof f === 'string')) return null;
  const n = m.features.length;
  if (!numbers(m.mean) || !numbers(m.scale) || !numbers(m.weights) || m.mean.length !== n || m.scale.length !== n || m.weights.length !== n)
    return null;
  return { kind: m.kind, features: [...m.features], mean: [...m.mean], scale: [...m.scale], weights: [...m.weights] };
}

/** How the hour-of-day profile is read: the answers within ±1 h of the question's hour, against a uniform day. */
function hourAffinity(hours: readonly number[], hour: number, total: number): number {
  if (total === 0) return 0;
  const near = (hours[(hour + 23) % 24] ?? 0) + (hours[hour] ?? 0) + (hours[(hour + 1) % 24] ?? 0);
  return Math.log((near + 0.375) / (total + 3) / 0.125);
}

function weekdayAffinity(weekdays: readonly number[], day: number, total: number): number {
  if (total === 0) return 0;
  return Math.log(((weekdays[day] ?? 0) + 2 / 7) / (total + 2) / (1 / 7));
}

/** How many distinct threads the evidence with a positive similarity comes from (no allocation for short lists). */
function distinctThreads(evidence: readonly ExpertCandidate['evidence'][number][]): number {
  if (evidence.length > 32) return new Set(evidence.filter((e) => e.similarity > 0).map((e) => e.threadId)).size;
  let count = 0;
  for (let i = 0; i < evidence.length; i++) {
    const e = evidence[i] as ExpertCandidate['evidence'][number];
    if (!(e.similarity > 0)) continue;
    let seen = false;
    for (let k = 0; k < i && !seen; k++) {
      const f = evidence[k] as ExpertCandidate['evidence'][number];
      seen = f.similarity > 0 && f.threadId === e.threadId;
    }
    if (!seen) count++;
  }
  return count;
}

/**
 * The feature matrix (row-major, `FEATURE_COUNT` per candidate) of the eligible candidates for a question
 * asked (notified) at `now`. The relative features (topical, profile, tag share, co-answer) are divided by
 * their maximum over these candidates, as in the weighted score.
 */
export function expertFeatures(
  tags: readonly string[],
  candidates: readonly ExpertCandidate[],
  now: number,
  totals: CommunityExpertiseTotals,
  w: RankingWeights,
  /** The candidates' topical sums (topicalOf), when the caller has them already: not computed twice. */
  topicalSums?: Float64Array,
): Float64Array {
  const n = candidates.length;
  const F = FEATURE_COUNT;
  const x = new Float64Array(n * F);
  let maxTopical = 0;
  let maxProfile = 0;
  let maxTag = 0;
  let maxCo = 0;
  let maxRecent = 0;
  let maxAnswers = 0;
  for (const c of candidates) if (c.community.answers > maxAnswers) maxAnswers = c.community.answers;
  const at = new Date(now);
  const hour = at.getUTCHours();
  const weekday = at.getUTCDay();
  for (let i = 0; i < n; i++) {
    const c = candidates[i] as ExpertCandidate;
    const o = i * F;
    const ev = c.evidence;
    const topical = ev.length === 0 ? 0 : topicalSums !== undefined ? (topicalSums[i] as number) : topicalOf(ev, now, w).sum;
    x[o] = topical;
    if (topical > maxTopical) maxTopical = topical;
    if (ev.length > 0) x[o + 1] = Math.log1p(distinctThreads(ev));
    const profile = c.profileSimilarity ?? 0;
    x[o + 2] = profile;
    if (profile > maxProfile) maxProfile = profile;
    const share = tagExpertiseOf(c, tags, totals, w);
    x[o + 3] = share;
    if (share > maxTag) maxTag = share;
    let tagAnswers = 0;
    let tagRecency = 0;
    for (const tag of tags) {
      tagAnswers += c.tagCounts.get(tag)?.answers ?? 0;
      const last = c.activity?.tagLastAnswerAt.get(tag);
      if (last !== undefined && last < now) tagRecency = Math.max(tagRecency, Math.pow(0.5, (now - last) / (90 * DAY_MS)));
    }
    x[o + 4] = Math.log1p(tagAnswers);
    x[o + 5] = tagRecency;
    const a = c.activity;
    x[o + 6] = Math.log1p(a?.answers ?? c.community.answers);
    x[o + 7] = Math.log1p(a?.last1d ?? 0);
    x[o + 8] = Math.log1p(a?.last7d ?? 0);
    x[o + 9] = Math.log1p(a?.last30d ?? 0);
    x[o + 10] = Math.log1p(a?.last90d ?? 0);
    const last = a?.lastAnswerAt ?? c.lastAnswerAt ?? null;
    x[o + 11] = Math.log1p(last === null ? 3650 : Math.max(0, now - last) / DAY_MS);
    // Every answer is in both profiles: their total is the answer count.
    x[o + 12] = a === undefined ? 0 : hourAffinity(a.hourCounts, hour, a.answers);
    x[o + 13] = a === undefined ? 0 : weekdayAffinity(a.weekdayCounts, weekday, a.answers);
    const answers = a?.answers ?? c.community.answers;
    const accepted = a?.accepted ?? c.community.accepted;
    x[o + 14] = (accepted + 0.5) / (answers + 2);
    const meanScore = a !== undefined && a.answers > 0 ? a.scoreSum / a.answers : 0;
    x[o + 15] = Math.sign(meanScore) * Math.log1p(Math.abs(meanScore));
    x[o + 16] = Math.log1p((a?.medianDelayMs ?? 72 * HOUR_MS) / HOUR_MS);
    const co = c.coAnswer ?? 0;
    x[o + 17] = co;
    if (co > maxCo) maxCo = co;
    const recent = a?.last90d ?? 0;
    x[o + 18] = recent;
    if (recent > maxRecent) maxRecent = recent;
    // The weighted score's relevance terms (rank.ts) as one feature: the model starts from what it knew.
    x[o + 19] = w.activity * activityOf(c, maxAnswers, now, w);
  }
  for (let i = 0; i < n; i++) {
    const o = i * F;
    x[o] = maxTopical > 0 ? (x[o] as number) / maxTopical : 0;
    x[o + 2] = maxProfile > 0 ? (x[o + 2] as number) / maxProfile : 0;
    x[o + 3] = maxTag > 0 ? (x[o + 3] as number) / maxTag : 0;
    x[o + 17] = maxCo > 0 ? (x[o + 17] as number) / maxCo : 0;
    x[o + 18] = maxRecent > 0 ? (x[o + 18] as number) / maxRecent : 0;
    x[o + 19] = (x[o + 19] as number) + w.topical * (x[o] as number) + w.tag * (x[o + 3] as number);
    // Topic knowledge counts most in someone still answering (a linear score cannot express "and").
    const active = 1 - Math.exp(-(x[o + 10] as number));
    x[o + 20] = (x[o] as number) * active;
    x[o + 21] = (x[o + 3] as number) * active;
  }
  return x;
}

/** Column positions of the model's features in the feature matrix (−1: a feature this code no longer computes). */
function columnsOf(model: RankingModel): Int32Array {
  return Int32Array.from(model.features, (name) => featureIndex.get(name) ?? -1);
}

/** The model's score of each row of a feature matrix. */
export function scoreFeatures(model: RankingModel, x: Float64Array, n: number): Float64Array {
  const columns = columnsOf(model);
  const out = new Float64Array(n);
  const m = columns.length;
  // Fold the standardisation into one weight and one offset per feature.
  const wj = new Float64Array(m);
  let offset = 0;
  for (let j = 0; j < m; j++) {
    const scale = model.scale[j] ?? 1;
    wj[j] = (columns[j] as number) < 0 || !(scale > 0) ? 0 : (model.weights[j] ?? 0) / scale;
    offset -= (wj[j] as number) * (model.mean[j] ?? 0);
  }
  for (let i = 0; i < n; i++) {
    const o = i * FEATURE_COUNT;
    let s = offset;
    for (let j = 0; j < m; j++) {
      const col = columns[j] as number;
      if (col >= 0) s += (wj[j] as number) * (x[o + col] as number);
    }
    out[i] = s;
  }
  return out;
}

/** Per feature group, the row's contribution relative to an average candidate (weight·(x − mean)/scale summed over the group). */
export function groupContributions(model: RankingModel, x: Float64Array, row: number): Record<ExpertFeatureGroup, number> {
  const out = Object.fromEntries(Object.keys(expertFeatureGroups).map((g) => [g, 0])) as Record<ExpertFeatureGroup, number>;
  const columns = columnsOf(model);
  for (let j = 0; j < columns.length; j++) {
    const col = columns[j] as number;
    const scale = model.scale[j] ?? 1;
    if (col < 0 || !(scale > 0)) continue;
    const group = groupOfFeature[col] as ExpertFeatureGroup;
    out[group] += ((model.weights[j] ?? 0) * ((x[row * FEATURE_COUNT + col] as number) - (model.mean[j] ?? 0))) / scale;
  }
  return out;
}

// ---------------------------------------------------------------- training

/** One past question: its candidates' feature rows and which of them answered. */
export interface TrainingList {
  features: Float64Array;
  relevant: Uint8Array;
}

export interface TrainingOptions {
  /** L2 penalty on the standardised weights. */
  l2: number;
  /**
   * 'listwise' (default): softmax cross-entropy over each question's candidates (ListNet with the answerers as
   * the target), which weighs the non-answerers ranked near the top most, as MRR does. 'pairwise': the logistic
   * loss over (answerer, sampled non-answerer) pairs.
   */
  loss?: 'listwise' | 'pairwise';
  /** Optimiser steps (full batch). Default 300. */
  steps?: number;
  /** Non-answerers sampled per question (uniformly, seeded); plus the hardest by activity and by topical evidence. Default 40. */
  negatives?: number;
  /** Feature groups left out (their weights stay 0): the ablation. */
  without?: readonly ExpertFeatureGroup[];
  seed?: number;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The hardest `k` negatives by one column (highest first). */
function topBy(x: Float64Array, rows: number[], column: number, k: number): number[] {
  return [...rows]
    .sort((a, b) => (x[b * FEATURE_COUNT + column] as number) - (x[a * FEATURE_COUNT + column] as number) || a - b)
    .slice(0, k);
}

/**
 * Trains a linear model with the pairwise logistic loss: Σ over questions, 1/pairs × Σ over (answerer,
 * non-answerer) pairs of log(1 + e^−(s⁺ − s⁻)), plus l2/2·|w|². Lists without an answerer or without a
 * non-answerer teach nothing and are skipped. Deterministic for the same lists and options.
 */
export function trainRankingModel(lists: readonly TrainingList[], options: TrainingOptions): RankingModel {
  const F = FEATURE_COUNT;
  const steps = options.steps ?? 300;
  const negatives = options.negatives ?? 40;
  const rnd = mulberry32(options.seed ?? 1);
  const mask = new Float64Array(F).fill(1);
  for (const group of options.without ?? []) for (const name of expertFeatureGroups[group]) mask[featureIndex.get(name) as number] = 0;

  // Standardisation over every row of every list.
  const mean = new Float64Array(F);
  const sq = new Float64Array(F);
  let rows = 0;
  for (const list of lists) {
    const n = list.relevant.length;
    for (let i = 0; i < n; i++) for (let j = 0; j < F; j++) mean[j] = (mean[j] as number) + (list.features[i * F + j] as number);
    rows += n;
  }
  for (let j = 0; j < F; j++) mean[j] = (mean[j] as number) / Math.max(1, rows);
  for (const list of lists) {
    const n = list.relevant.length;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < F; j++) sq[j] = (sq[j] as number) + ((list.features[i * F + j] as number) - (mean[j] as number)) ** 2;
  }
  const scale = Float64Array.from(sq, (s) => Math.sqrt(s / Math.max(1, rows)) || 1);

  if ((options.loss ?? 'listwise') === 'listwise') return trainListwise(lists, { mean, scale, mask, steps, l2: options.l2 });

  // The pairs, as standardised differences, each weighted 1/(pairs of its question).
  const diffs: number[] = [];
  const pairWeights: number[] = [];
  let questions = 0;
  const topicalCol = featureIndex.get('topical') as number;
  const answersCol = featureIndex.get('answers') as number;
  for (const list of lists) {
    const n = list.relevant.length;
    const pos: number[] = [];
    const neg: number[] = [];
    for (let i = 0; i < n; i++) (list.relevant[i] ? pos : neg).push(i);
    if (pos.length === 0 || neg.length === 0) continue;
    let chosen: number[];
    if (neg.length <= negatives + 20) chosen = neg;
    else {
      const picked = new Set<number>([...topBy(list.features, neg, answersCol, 10), ...topBy(list.features, neg, topicalCol, 10)]);
      const pool = [...neg];
      for (let k = 0; k < negatives && pool.length > 0; k++) picked.add(pool.splice(Math.floor(rnd() * pool.length), 1)[0] as number);
      chosen = [...picked];
    }
    const weight = 1 / (pos.length * chosen.length);
    for (const p of pos)
      for (const q of chosen) {
        for (let j = 0; j < F; j++)
          diffs.push(
            (((list.features[p * F + j] as number) - (list.features[q * F + j] as number)) / (scale[j] as number)) * (mask[j] as number),
          );
        pairWeights.push(weight);
      }
    questions++;
  }
  const pairs = pairWeights.length;
  const d = Float64Array.from(diffs);
  const pw = Float64Array.from(pairWeights, (v) => v / Math.max(1, questions));

  // Full-batch Adam.
  const w = new Float64Array(F);
  const m1 = new Float64Array(F);
  const m2 = new Float64Array(F);
  const grad = new Float64Array(F);
  const lr = 0.05;
  for (let step = 1; step <= steps; step++) {
    grad.fill(0);
    for (let k = 0; k < pairs; k++) {
      const o = k * F;
      let s = 0;
      for (let j = 0; j < F; j++) s += (w[j] as number) * (d[o + j] as number);
      // d/ds log(1 + e^−s) = −1 / (1 + e^s)
      const g = -(pw[k] as number) / (1 + Math.exp(s));
      for (let j = 0; j < F; j++) grad[j] = (grad[j] as number) + g * (d[o + j] as number);
    }
    for (let j = 0; j < F; j++) {
      const g = ((grad[j] as number) + options.l2 * (w[j] as number)) * (mask[j] as number);
      m1[j] = 0.9 * (m1[j] as number) + 0.1 * g;
      m2[j] = 0.999 * (m2[j] as number) + 0.001 * g * g;
      const mHat = (m1[j] as number) / (1 - 0.9 ** step);
      const vHat = (m2[j] as number) / (1 - 0.999 ** step);
      w[j] = (w[j] as number) - (lr * mHat) / (Math.sqrt(vHat) + 1e-8);
    }
  }
  return {
    kind: 'linear-pairwise',
    features: [...expertFeatureNames],
    mean: [...mean],
    scale: [...scale],
    weights: [...w].map((v, j) => v * (mask[j] as number)),
  };
}

/** One Adam step on `w` (in place) with gradient `grad`. */
function adamStep(w: Float64Array, grad: Float64Array, m1: Float64Array, m2: Float64Array, step: number, lr: number): void {
  for (let j = 0; j < w.length; j++) {
    const g = grad[j] as number;
    m1[j] = 0.9 * (m1[j] as number) + 0.1 * g;
    m2[j] = 0.999 * (m2[j] as number) + 0.001 * g * g;
    const mHat = (m1[j] as number) / (1 - 0.9 ** step);
    const vHat = (m2[j] as number) / (1 - 0.999 ** step);
    w[j] = (w[j] as number) - (lr * mHat) / (Math.sqrt(vHat) + 1e-8);
  }
}

/** Mean over questions of −Σ target·log softmax(score), target = the answerers, equally; plus l2/2·|w|². */
function trainListwise(
  lists: readonly TrainingList[],
  o: { mean: Float64Array; scale: Float64Array; mask: Float64Array; steps: number; l2: number },
): RankingModel {
  const F = FEATURE_COUNT;
  const used = lists.filter((l) => l.relevant.some((r) => r === 1) && l.relevant.some((r) => r === 0));
  // Standardised copies, so that each step is a plain dot product.
  const z = used.map((l) =>
    Float64Array.from(l.features, (v, k) => ((v - (o.mean[k % F] as number)) / (o.scale[k % F] as number)) * (o.mask[k % F] as number)),
  );
  const w = new Float64Array(F);
  const m1 = new Float64Array(F);
  const m2 = new Float64Array(F);
  const grad = new Float64Array(F);
  for (let step = 1; step <= o.steps; step++) {
    grad.fill(0);
    for (let q = 0; q < used.length; q++) {
      const x = z[q] as Float64Array;
      const rel = (used[q] as TrainingList).relevant;
      const n = rel.length;
      const s = new Float64Array(n);
      let max = -Infinity;
      let positives = 0;
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let j = 0; j < F; j++) v += (w[j] as number) * (x[i * F + j] as number);
        s[i] = v;
        if (v > max) max = v;
        positives += rel[i] as number;
      }
      let sum = 0;
      for (let i = 0; i < n; i++) sum += s[i] = Math.exp((s[i] as number) - max);
      for (let i = 0; i < n; i++) {
        const g = ((s[i] as number) / sum - (rel[i] as number) / positives) / used.length;
        if (g === 0) continue;
        for (let j = 0; j < F; j++) grad[j] = (grad[j] as number) + g * (x[i * F + j] as number);
      }
    }
    for (let j = 0; j < F; j++) grad[j] = ((grad[j] as number) + o.l2 * (w[j] as number)) * (o.mask[j] as number);
    adamStep(w, grad, m1, m2, step, 0.05);
  }
  return {
    kind: 'linear-pairwise',
    features: [...expertFeatureNames],
    mean: [...o.mean],
    scale: [...o.scale],
    weights: [...w].map((v, j) => v * (o.mask[j] as number)),
  };
}
