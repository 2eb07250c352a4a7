import { describe, expect, it } from 'vitest';
import { ExpertHistoryIndex, expertTerms, type HistoryAnswer } from './history.js';
import {
  expertFeatureNames,
  expertFeatures,
  FEATURE_COUNT,
  groupContributions,
  parseRankingModel,
  scoreFeatures,
  trainRankingModel,
  type RankingModel,
  type TrainingList,
} from './learned.js';
import { defaultRankingWeights, orderExperts, rankExperts } from './rank.js';
import { topicalOf } from './signals.js';
import type { ExpertCandidate, ExpertQuestion } from './types.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
// Wednesday 2 December 2026, 21:30 UTC.
const NOW = Date.UTC(2026, 11, 2, 21, 30);
const col = (name: (typeof expertFeatureNames)[number]): number => expertFeatureNames.indexOf(name);

function answer(overrides: Partial<HistoryAnswer>): HistoryAnswer {
  return {
    authorId: 1,
    threadId: 1,
    questionAt: NOW - 40 * DAY,
    answeredAt: NOW - 40 * DAY + HOUR,
    accepted: false,
    score: 0,
    tags: [],
    text: '',
    ...overrides,
  };
}

describe('ExpertHistoryIndex', () => {
  it('counts answers in the recent windows before now only, with the last answer and hour/weekday profile', () => {
    const h = new ExpertHistoryIndex();
    for (const [i, ago] of [0.5, 3, 20, 60, 200].entries())
      h.add(answer({ threadId: i + 1, answeredAt: NOW - ago * DAY, questionAt: NOW - ago * DAY - 2 * HOUR }));
    h.add(answer({ threadId: 9, answeredAt: NOW + HOUR, questionAt: NOW })); // after now: never counts
    const a = h.activityOf(1, NOW);
    expect(a).toBeDefined();
    expect([a?.last1d, a?.last7d, a?.last30d, a?.last90d]).toEqual([1, 2, 3, 4]);
    expect(a?.lastAnswerAt).toBe(NOW - 0.5 * DAY);
    expect(a?.medianDelayMs).toBe(2 * HOUR);
    expect(a?.hourCounts.reduce((s, c) => s + c, 0)).toBe(6);
    expect(h.activityOf(2, NOW)).toBeUndefined();
  });

  it('what it returns does not change when later answers are added (no future answers leak into a kept snapshot)', () => {
    const h = new ExpertHistoryIndex();
    h.add(answer({ threadId: 1, tags: ['hops'], answeredAt: NOW - 2 * DAY }));
    const activity = h.activityOf(1, NOW);
    const counts = h.countsOf(1);
    h.add(answer({ threadId: 2, tags: ['hops'], answeredAt: NOW + HOUR }));
    expect(activity?.hourCounts.reduce((s, c) => s + c, 0)).toBe(1);
    expect(activity?.tagLastAnswerAt.get('hops')).toBe(NOW - 2 * DAY);
    expect(counts.tagCounts.get('hops')?.answers).toBe(1);
  });

  it('scores profiles with BM25: the author who wrote about the words ranks first; unrelated authors are absent', () => {
    const h = new ExpertHistoryIndex();
    h.add(answer({ authorId: 1, threadId: 1, text: 'Dry hopping with citra hops gives grassy flavours' }));
    h.add(answer({ authorId: 2, threadId: 2, text: 'Lager yeast ferments cold' }));
    h.add(answer({ authorId: 3, threadId: 3, text: 'Hops are added at the boil' }));
    const scores = h.profileScores('Why is my dry hopped IPA grassy?');
    expect((scores.get(1) ?? 0) > (scores.get(3) ?? 0)).toBe(true);
    expect(scores.has(2)).toBe(false);
    expect(expertTerms("The hops' flavours")).toEqual(['hops', 'flavour']);
  });

  it('co-answer: answering threads together with the answerers of similar threads counts; the answerers themselves too', () => {
    const h = new ExpertHistoryIndex();
    // Thread 1 (similar to the question): answered by 1. Threads 2 and 3: 1 and 2 answered together; 3 never with 1.
    h.add(answer({ authorId: 1, threadId: 1 }));
    h.add(answer({ authorId: 1, threadId: 2 }));
    h.add(answer({ authorId: 2, threadId: 2 }));
    h.add(answer({ authorId: 1, threadId: 3 }));
    h.add(answer({ authorId: 2, threadId: 3 }));
    h.add(answer({ authorId: 3, threadId: 4 }));
    const co = h.coAnswerScores(new Map([[1, 1]]));
    expect(co.get(2)).toBeCloseTo(2 / Math.sqrt(2));
    expect(co.has(3)).toBe(false);
  });
});

function candidate(userId: number, overrides: Partial<ExpertCandidate> = {}): ExpertCandidate {
  return {
    userId,
    canRead: true,
    suspended: false,
    declinedThisQuestion: false,
    alreadyMatched: false,
    evidence: [],
    tagCounts: new Map(),
    community: { answers: 10, accepted: 2 },
    history: { matched: 0, answered: 0, accepted: 0, medianResponseMs: null, recentMatches: 0, matchesThisWeek: 0 },
    availability: { optedIn: true, weeklyCap: null, quietHours: null, timeZone: 'UTC', mutedTags: [], wantedTags: [] },
    notMyAreaSimilarity: 0,
    ...overrides,
  };
}

function activity(overrides: Partial<NonNullable<ExpertCandidate['activity']>> = {}): NonNullable<ExpertCandidate['activity']> {
  return {
    answers: 10,
    accepted: 2,
    scoreSum: 10,
    last1d: 0,
    last7d: 0,
    last30d: 0,
    last90d: 0,
    lastAnswerAt: NOW - 100 * DAY,
    hourCounts: new Array<number>(24).fill(0),
    weekdayCounts: new Array<number>(7).fill(0),
    medianDelayMs: null,
    tagLastAnswerAt: new Map(),
    ...overrides,
  };
}

const totals = { answers: 100, tagAnswers: new Map([['hops', 20]]) };
const features = (candidates: ExpertCandidate[], tags: string[] = ['hops']): Float64Array =>
  expertFeatures(tags, candidates, NOW, totals, defaultRankingWeights);

describe('expertFeatures', () => {
  it('reads activity windows, time of day, tag recency and the relative signals (max-normalised)', () => {
    const hours = new Array<number>(24).fill(0);
    hours[21] = 8; // answers at this hour (21:30 UTC)
    const x = features([
      candidate(1, {
        activity: activity({ last7d: 3, hourCounts: hours, tagLastAnswerAt: new Map([['hops', NOW - 90 * DAY]]) }),
        profileSimilarity: 4,
        coAnswer: 1,
      }),
      candidate(2, { profileSimilarity: 2, coAnswer: 0 }),
    ]);
    expect(x.length).toBe(2 * FEATURE_COUNT);
    expect(x[col('recent7d')]).toBeCloseTo(Math.log1p(3));
    expect(x[col('hourAffinity')] as number).toBeGreaterThan(0.5);
    expect(x[col('tagRecency')]).toBeCloseTo(0.5);
    expect(x[col('profile')]).toBe(1);
    expect(x[FEATURE_COUNT + col('profile')]).toBe(0.5);
    expect(x[FEATURE_COUNT + col('hourAffinity')]).toBe(0); // no activity profile: neutral
    expect(x[col('daysSinceLast')]).toBeCloseTo(Math.log1p(100));
  });

  it('counts the distinct similar threads of the evidence (a repeated thread or a zero similarity does not count)', () => {
    const ev = (threadId: number, similarity: number) => ({
      threadId,
      threadTitle: `t${threadId}`,
      similarity,
      accepted: false,
      score: 0,
      answeredAt: NOW - DAY,
    });
    const many = Array.from({ length: 40 }, (_, i) => ev(i % 35, 1)); // past the short-list path: 35 threads
    const x = features([
      candidate(1, { evidence: [ev(1, 2), ev(1, 3), ev(2, 1), ev(3, 0)] }),
      candidate(2, { evidence: [] }),
      candidate(3, { evidence: many }),
    ]);
    expect(x[col('topicalThreads')]).toBeCloseTo(Math.log1p(2));
    expect(x[FEATURE_COUNT + col('topicalThreads')]).toBe(0);
    expect(x[2 * FEATURE_COUNT + col('topicalThreads')]).toBeCloseTo(Math.log1p(35));
  });

  it('precomputed topical sums give the same matrix as computing them', () => {
    const ev = { threadId: 1, threadTitle: 't', similarity: 3, accepted: true, score: 2, answeredAt: NOW - 30 * DAY };
    const cs = [candidate(1, { evidence: [ev] }), candidate(2), candidate(3, { evidence: [{ ...ev, similarity: 1 }] })];
    const sums = Float64Array.from(cs, (c) => topicalOf(c.evidence, NOW, defaultRankingWeights).sum);
    expect(expertFeatures(['hops'], cs, NOW, totals, defaultRankingWeights, sums)).toEqual(features(cs));
  });

  it('a tag answer at or after now does not count as recent', () => {
    const x = features([candidate(1, { activity: activity({ tagLastAnswerAt: new Map([['hops', NOW]]) }) })]);
    expect(x[col('tagRecency')]).toBe(0);
  });
});

/** Lists where the answerer is the one with recent answers (the 7-day window), among decoys with more answers in total. */
function syntheticLists(count: number): TrainingList[] {
  const lists: TrainingList[] = [];
  for (let q = 0; q < count; q++) {
    const cs = Array.from({ length: 8 }, (_, i) =>
      candidate(i + 1, {
        community: { answers: 50 - i * 5, accepted: 0 },
        activity: activity({ answers: 50 - i * 5, last7d: i === q % 8 ? 3 : 0 }),
      }),
    );
    lists.push({ features: features(cs), relevant: Uint8Array.from(cs, (_, i) => (i === q % 8 ? 1 : 0)) });
  }
  return lists;
}

describe('trainRankingModel', () => {
  it('learns which feature separates answerers from the rest, deterministically', () => {
    const lists = syntheticLists(40);
    const model = trainRankingModel(lists, { l2: 0.01, steps: 200 });
    expect(model.weights[col('recent7d')] as number).toBeGreaterThan(0.5);
    expect(Math.abs(model.weights[col('recent7d')] as number)).toBeGreaterThan(Math.abs(model.weights[col('answers')] as number));
    expect(trainRankingModel(lists, { l2: 0.01, steps: 200 })).toEqual(model);
    const scores = scoreFeatures(model, (lists[3] as TrainingList).features, 8);
    const top = scores.indexOf(Math.max(...scores));
    expect(top).toBe(3);
  });

  it('the pairwise (RankNet) loss learns the same separating feature, deterministically', () => {
    const lists = syntheticLists(40);
    const model = trainRankingModel(lists, { l2: 0.01, steps: 200, loss: 'pairwise' });
    expect(model.weights[col('recent7d')] as number).toBeGreaterThan(0.5);
    expect(trainRankingModel(lists, { l2: 0.01, steps: 200, loss: 'pairwise' })).toEqual(model);
    const scores = scoreFeatures(model, (lists[5] as TrainingList).features, 8);
    expect(scores.indexOf(Math.max(...scores))).toBe(5);
  });

  it('a group left out keeps weight 0', () => {
    const model = trainRankingModel(syntheticLists(20), { l2: 0.01, steps: 50, without: ['recency'] });
    for (const name of ['recent1d', 'recent7d', 'recent30d', 'recent90d', 'daysSinceLast'] as const)
      expect(model.weights[col(name)]).toBe(0);
  });

  it('skips lists without an answerer', () => {
    const empty: TrainingList = { features: features([candidate(1), candidate(2)]), relevant: new Uint8Array(2) };
    const model = trainRankingModel([empty], { l2: 0.01, steps: 10 });
    expect(model.weights.every((w) => w === 0)).toBe(true);
  });
});

describe('rankExperts with a model', () => {
  const question: ExpertQuestion = { threadId: 1, communityId: 1, authorId: 99, title: 'Grassy IPA', tags: ['hops'], createdAt: NOW };
  const model: RankingModel = {
    kind: 'linear-pairwise',
    features: [...expertFeatureNames],
    mean: expertFeatureNames.map(() => 0),
    scale: expertFeatureNames.map(() => 1),
    weights: expertFeatureNames.map((name) => (name === 'recent7d' ? 2 : name === 'hourAffinity' ? 1 : 0)),
  };
  const hours = new Array<number>(24).fill(0);
  hours[21] = 10;
  const busy = candidate(1, { community: { answers: 200, accepted: 50 }, activity: activity({ answers: 200 }) });
  const recent = candidate(2, { activity: activity({ last7d: 3, hourCounts: hours }) });

  it('ranks by the model instead of the weighted score, and keeps the exclusions', () => {
    expect(rankExperts(question, [busy, recent], { now: NOW, limit: 2, totals }).shortlist.map((e) => e.userId)).toEqual([1, 2]);
    const ranked = rankExperts(question, [busy, recent, candidate(99)], { now: NOW, limit: 2, totals, model });
    expect(ranked.shortlist.map((e) => e.userId)).toEqual([2, 1]);
    expect(ranked.excluded).toEqual([{ userId: 99, reason: 'asker' }]);
    expect(orderExperts(question, [busy, recent], { now: NOW, totals, model }).order.map((e) => e.userId)).toEqual([2, 1]);
  });

  it('the reasons name the strongest contributions first', () => {
    const [first] = rankExperts(question, [busy, recent], { now: NOW, limit: 1, totals, model }).shortlist;
    expect(first?.reasons[0]).toBe('answered 3 questions in the last week');
    expect(first?.reasons).toContain('usually online at this hour');
  });

  it('a load penalty still applies on top of the model', () => {
    const loaded = { ...recent, history: { ...recent.history, recentShare: 0.5 } };
    const order = rankExperts(question, [busy, loaded], {
      now: NOW,
      limit: 2,
      totals,
      model,
      weights: { share: 0, shareCap: 100, shareTarget: 0.4 },
    }).shortlist.map((e) => e.userId);
    expect(order).toEqual([1, 2]);
  });

  it('group contributions add up to the score relative to an average candidate', () => {
    const x = features([recent]);
    const parts = groupContributions(model, x, 0);
    const total = Object.values(parts).reduce((s, v) => s + v, 0);
    expect(total).toBeCloseTo(scoreFeatures(model, x, 1)[0] as number);
  });
});

describe('parseRankingModel', () => {
  it('accepts a stored model and rejects anything else', () => {
    const model = trainRankingModel(syntheticLists(10), { l2: 0.1, steps: 20 });
    expect(parseRankingModel(JSON.parse(JSON.stringify(model)))).toEqual(model);
    expect(parseRankingModel(null)).toBeNull();
    expect(parseRankingModel({ ...model, weights: model.weights.slice(1) })).toBeNull();
    expect(parseRankingModel({ ...model, kind: 'tree' })).toBeNull();
  });
});
