/**
 * The learned ranker on a split: training lists from the questions before the origin, and the evaluation
 * questions after it, both with features from the history before each question only.
 *
 * Time discipline:
 * - activity, time of day, quality, tags, profile (model 1) and co-answer come from an ExpertHistoryIndex
 *   that has seen exactly the answers posted before the question (answers are added in time order);
 * - topical evidence (model 2) comes from the origin's SearchIndex (the history before the origin, as the
 *   weighted ranker's replay), its answers filtered to those posted before the question and the question's
 *   own thread left out (for the training questions, which are inside that history);
 * - training labels are the answerers whose answer was posted before the origin (later ones are unknown then).
 */
import {
  ExpertHistoryIndex,
  expertFeatures,
  orderExperts,
  defaultRankingWeights,
  type CommunityExpertiseTotals,
  type EvidenceAnswer,
  type ExpertCandidate,
  type MatchHistory,
  type RankingModel,
  type RankingWeights,
  type TrainingList,
} from '@praxis/domain';
import { gatherEvidence, type EvidencePort, type PastAnswer } from '../src/experts/evidence.js';
import type { Answer, Question, Site, Split } from './data.js';
import { K, MetricsAccumulator, type Metrics } from './metrics.js';

const COMMUNITY = 1;
const EMPTY_HISTORY: MatchHistory = { matched: 0, answered: 0, accepted: 0, medianResponseMs: null, recentMatches: 0, matchesThisWeek: 0 };
const LOAD_WINDOW_MS = 7 * 86_400_000;

export interface EvalItem {
  question: { threadId: number; communityId: number; authorId: number | null; title: string; tags: string[]; createdAt: number };
  candidates: ExpertCandidate[];
  totals: CommunityExpertiseTotals;
  relevant: Set<number>;
  answeredAt: Map<number, number>;
}

export interface LearnedData {
  training: TrainingList[];
  items: EvalItem[];
}

const time = (s: string): number => Date.parse(s);

/** The evidence port, limited to answers posted before `before` and leaving out one thread. */
function portBefore(port: EvidencePort, before: number, leaveOut: number): EvidencePort {
  return {
    similarThreads: async (query) =>
      (await port.similarThreads({ ...query, limit: query.limit + 1 })).filter((t) => t.threadId !== leaveOut).slice(0, query.limit),
    answersOf: async (ids) => (await port.answersOf(ids)).filter((a: PastAnswer) => a.answeredAt < before && a.threadId !== leaveOut),
  };
}

function candidatesAt(
  history: ExpertHistoryIndex,
  users: readonly number[],
  now: number,
  q: Question,
  byAuthor: Map<number, EvidenceAnswer[]>,
  similarity: Map<number, number>,
): ExpertCandidate[] {
  const profile = history.profileScores(`${q.title}\n${q.body_text}`);
  const co = history.coAnswerScores(similarity);
  return users.map((userId) => {
    const counts = history.countsOf(userId);
    return {
      userId,
      canRead: true,
      suspended: false,
      declinedThisQuestion: false,
      alreadyMatched: false,
      evidence: byAuthor.get(userId) ?? [],
      tagCounts: counts.tagCounts,
      community: counts.community,
      history: EMPTY_HISTORY,
      availability: { optedIn: true, weeklyCap: null, quietHours: null, timeZone: 'UTC', mutedTags: [], wantedTags: [] },
      notMyAreaSimilarity: 0,
      lastAnswerAt: counts.lastAnswerAt,
      ...(history.activityOf(userId, now) === undefined
        ? {}
        : { activity: history.activityOf(userId, now) as NonNullable<ExpertCandidate['activity']> }),
      profileSimilarity: profile.get(userId) ?? 0,
      coAnswer: co.get(userId) ?? 0,
    };
  });
}

/**
 * Training lists (every question before the origin, at most `maxTraining` of the latest) and evaluation
 * items (the split's test questions) for one origin. `site` holds every question and answer the split may
 * see (its answers after the origin are used only as they become history of later evaluation questions).
 */
export async function learnedData(site: Site, split: Split, port: EvidencePort, maxTraining = 600): Promise<LearnedData> {
  const origin = time(split.cutoff);
  const questionById = split.questionById;
  const answers = [...site.answers].filter((a) => (a.author_id ?? 0) > 0 && questionById.has(a.question_id));
  const answersByQ = new Map<number, Answer[]>();
  for (const a of answers) {
    let list = answersByQ.get(a.question_id);
    if (list === undefined) answersByQ.set(a.question_id, (list = []));
    list.push(a);
  }
  const evalIds = new Map(split.test.map((t) => [t.q.id, t]));
  const before = site.questions.filter((q) => q.created_at < split.cutoff);
  const trainIds = new Set(before.slice(Math.max(0, before.length - maxTraining)).map((q) => q.id));
  const history = new ExpertHistoryIndex();
  const training: TrainingList[] = [];
  const items: EvalItem[] = [];
  let next = 0;
  const w: RankingWeights = defaultRankingWeights;
  for (const q of site.questions) {
    const isTrain = trainIds.has(q.id);
    const evalItem = evalIds.get(q.id);
    if (!isTrain && evalItem === undefined) continue;
    const now = time(q.created_at);
    while (next < answers.length && time((answers[next] as Answer).created_at) < now) {
      const a = answers[next++] as Answer;
      const aq = questionById.get(a.question_id) as Question;
      history.add({
        authorId: a.author_id as number,
        threadId: a.question_id,
        questionAt: time(aq.created_at),
        answeredAt: time(a.created_at),
        accepted: a.accepted,
        score: a.score,
        tags: aq.tags ?? [],
        text: `${aq.title}\n${a.body_text}`,
      });
    }
    const question = { threadId: q.id, communityId: COMMUNITY, authorId: q.author_id, title: q.title, tags: q.tags ?? [], createdAt: now };
    if (isTrain) {
      const users = history.authors().filter((u) => u !== q.author_id);
      if (users.length < 2) continue;
      const { byAuthor, similarity } = await gatherEvidence({ title: q.title, body: q.body_text }, portBefore(port, now, q.id));
      const candidates = candidatesAt(history, users, now, q, byAuthor, similarity);
      const answerers = new Set((answersByQ.get(q.id) ?? []).filter((a) => time(a.created_at) < origin).map((a) => a.author_id as number));
      const relevant = Uint8Array.from(users, (u) => (answerers.has(u) ? 1 : 0));
      if (!relevant.some((r) => r === 1)) continue;
      training.push({ features: expertFeatures(question.tags, candidates, now, history.totals(), w), relevant });
    } else if (evalItem !== undefined) {
      const { byAuthor, similarity } = await gatherEvidence({ title: q.title, body: q.body_text }, port);
      items.push({
        question,
        candidates: candidatesAt(history, split.candidates, now, q, byAuthor, similarity),
        totals: history.totals(),
        relevant: evalItem.relevant,
        answeredAt: evalItem.answeredAt,
      });
    }
  }
  return { training, items };
}

export interface RankerOptions {
  model: RankingModel | null;
  weights?: Partial<RankingWeights>;
  /** The share window (questions) behind history.recentShare; 0 = none. */
  shareWindow: number;
}

/**
 * Replays the evaluation questions in time order with the product's ranking (orderExperts with the model),
 * notifying the top k each time so that the share window and the match outcomes advance.
 */
export function replayRanker(data: LearnedData, options: RankerOptions, population: number): Metrics {
  const acc = new MetricsAccumulator(population);
  const matches = new Map<number, { at: number; answeredAt: number | null }[]>();
  const notifiedFor: number[][] = [];
  const inWindow = new Map<number, number>();
  const window = Math.max(0, Math.floor(options.shareWindow));
  for (const item of data.items) {
    const now = item.question.createdAt;
    const candidates = item.candidates.map((c) => {
      const past = matches.get(c.userId);
      const share = window > 0 ? (inWindow.get(c.userId) ?? 0) / window : undefined;
      if (past === undefined && share === undefined) return c;
      return { ...c, history: { ...historyAt(past ?? [], now), ...(share === undefined ? {} : { recentShare: share }) } };
    });
    const order = orderExperts(item.question, candidates, {
      now,
      totals: item.totals,
      weights: options.weights ?? {},
      model: options.model,
    }).order.map((e) => e.userId);
    acc.add(order, item.relevant);
    const topK = order.slice(0, K);
    if (window > 0) {
      notifiedFor.push(topK);
      for (const u of topK) inWindow.set(u, (inWindow.get(u) ?? 0) + 1);
      if (notifiedFor.length > window) for (const u of notifiedFor.shift() ?? []) inWindow.set(u, (inWindow.get(u) ?? 1) - 1);
    }
    for (const u of topK) {
      let list = matches.get(u);
      if (list === undefined) matches.set(u, (list = []));
      const t = item.answeredAt.get(u);
      list.push({ at: now, answeredAt: t !== undefined && t >= now ? t : null });
    }
  }
  return acc.result();
}

function historyAt(matches: { at: number; answeredAt: number | null }[], now: number): MatchHistory {
  let matched = 0;
  let recentMatches = 0;
  const responses: number[] = [];
  for (const m of matches) {
    if (m.at > now) continue;
    matched++;
    if (m.at > now - LOAD_WINDOW_MS) recentMatches++;
    if (m.answeredAt !== null && m.answeredAt <= now) responses.push(m.answeredAt - m.at);
  }
  responses.sort((a, b) => a - b);
  const mid = responses.length >> 1;
  const medianResponseMs =
    responses.length === 0
      ? null
      : responses.length % 2
        ? (responses[mid] as number)
        : ((responses[mid - 1] as number) + (responses[mid] as number)) / 2;
  return { matched, answered: responses.length, accepted: 0, medianResponseMs, recentMatches, matchesThisWeek: 0 };
}

/** Static orderings of the evaluation items by one candidate field (the online baselines: answers before the question). */
export function replayStatic(data: LearnedData, key: (c: ExpertCandidate) => number, population: number): Metrics {
  const acc = new MetricsAccumulator(population);
  for (const item of data.items) {
    const order = item.candidates
      .filter((c) => c.userId !== item.question.authorId)
      .sort((a, b) => key(b) - key(a) || b.community.answers - a.community.answers || a.userId - b.userId)
      .map((c) => c.userId);
    acc.add(order, item.relevant);
  }
  return acc.result();
}
