/**
 * The product's ranking replayed on a split: topical evidence from the embedded SearchIndex through
 * gatherEvidence (the worker's function), ranked by rankExperts (the domain's), the test questions in
 * time order, each notifying its top k so that load, weekly counts and match outcomes advance.
 */
import {
  orderExperts,
  rankExperts,
  type AnswerCounts,
  type CommunityExpertiseTotals,
  type EvidenceAnswer,
  type ExpertCandidate,
  type MatchHistory,
  type RankingWeights,
} from '@praxis/domain';
import { createEmbeddedSearchIndex, toThreadDocument, type SearchIndex } from '@praxis/search';
import { gatherEvidence, type EvidenceOptions, type EvidencePort, type PastAnswer } from '../src/experts/evidence.js';
import type { Split } from './data.js';
import { K, MetricsAccumulator, type Metrics } from './metrics.js';

const COMMUNITY = 1;
const EMPTY_HISTORY: MatchHistory = { matched: 0, answered: 0, accepted: 0, medianResponseMs: null, recentMatches: 0, matchesThisWeek: 0 };
const DAY_MS = 86_400_000;

export interface Prepared {
  split: Split;
  totals: CommunityExpertiseTotals;
  base: Map<number, Omit<ExpertCandidate, 'evidence' | 'history'>>;
  /** Per test question (same order as split.test), the evidence of each candidate. */
  evidence: Map<number, EvidenceAnswer[]>[];
  /** Per test question, the candidates with their evidence and no match history (replays replace the history of those matched). */
  candidates: ExpertCandidate[][];
  /** Mean number of similar threads found per test question. */
  meanThreads: number;
}

/** The history threads as the worker indexes them: the question and its answers before the cutoff as replies. */
export async function buildIndex(split: Split): Promise<{ index: SearchIndex; answersByThread: Map<number, PastAnswer[]> }> {
  const index = createEmbeddedSearchIndex();
  await index.ensureReady();
  const answersByThread = new Map<number, PastAnswer[]>();
  const bodies = new Map<number, string[]>();
  for (const a of split.historyAnswers) {
    const q = split.questionById.get(a.question_id);
    if (q === undefined) continue;
    let list = answersByThread.get(q.id);
    if (list === undefined) answersByThread.set(q.id, (list = []));
    list.push({
      threadId: q.id,
      threadTitle: q.title,
      authorId: a.author_id,
      accepted: a.accepted,
      score: a.score,
      answeredAt: Date.parse(a.created_at),
    });
    let texts = bodies.get(q.id);
    if (texts === undefined) bodies.set(q.id, (texts = []));
    texts.push(a.body_text);
  }
  const documents = split.historyQuestions.map((q) => {
    const replies = bodies.get(q.id) ?? [];
    const createdAt = new Date(q.created_at);
    const last = answersByThread.get(q.id)?.reduce((m, a) => Math.max(m, a.answeredAt), createdAt.getTime()) ?? createdAt.getTime();
    return toThreadDocument(
      {
        id: q.id,
        communityId: COMMUNITY,
        authorId: q.author_id,
        title: q.title,
        tags: q.tags ?? [],
        status: q.accepted_answer_id !== undefined ? 'solved' : 'open',
        kind: 'question',
        replyCount: replies.length,
        score: 0,
        createdAt,
        lastActivityAt: new Date(last),
      },
      [{ number: 1, body: q.body_text }, ...replies.map((body, i) => ({ number: i + 2, body }))],
    );
  });
  await index.upsert(documents);
  return { index, answersByThread };
}

export function evidencePortOf(index: SearchIndex, answersByThread: Map<number, PastAnswer[]>): EvidencePort {
  return {
    async similarThreads({ title, body, limit, fields }) {
      const hits = await index.similar({
        title,
        body,
        readableCommunityIds: [COMMUNITY],
        limit,
        ...(fields === undefined ? {} : { fields }),
      });
      return hits.map((hit) => ({ threadId: hit.id, score: hit.score }));
    },
    async answersOf(threadIds) {
      return threadIds.flatMap((id) => answersByThread.get(id) ?? []);
    },
  };
}

export async function prepare(split: Split, port: EvidencePort, evidenceOptions: Partial<EvidenceOptions>): Promise<Prepared> {
  const tagCounts = new Map<number, Map<string, AnswerCounts>>();
  const community = new Map<number, AnswerCounts>();
  const totals = { answers: 0, tagAnswers: new Map<string, number>() };
  for (const a of split.historyAnswers) {
    const author = a.author_id as number;
    const c = community.get(author) ?? { answers: 0, accepted: 0 };
    c.answers++;
    if (a.accepted) c.accepted++;
    community.set(author, c);
    totals.answers++;
    let m = tagCounts.get(author);
    if (m === undefined) tagCounts.set(author, (m = new Map()));
    for (const t of split.questionById.get(a.question_id)?.tags ?? []) {
      const tc = m.get(t) ?? { answers: 0, accepted: 0 };
      tc.answers++;
      if (a.accepted) tc.accepted++;
      m.set(t, tc);
      totals.tagAnswers.set(t, (totals.tagAnswers.get(t) ?? 0) + 1);
    }
  }
  const lastAnswer = new Map<number, number>();
  for (const a of split.historyAnswers)
    lastAnswer.set(a.author_id as number, Math.max(lastAnswer.get(a.author_id as number) ?? 0, Date.parse(a.created_at)));
  const base = new Map<number, Omit<ExpertCandidate, 'evidence' | 'history'>>();
  for (const userId of split.candidates) {
    base.set(userId, {
      userId,
      canRead: true,
      suspended: false,
      declinedThisQuestion: false,
      alreadyMatched: false,
      tagCounts: tagCounts.get(userId) ?? new Map(),
      community: community.get(userId) ?? { answers: 0, accepted: 0 },
      availability: { optedIn: true, weeklyCap: null, quietHours: null, timeZone: 'UTC', mutedTags: [], wantedTags: [] },
      notMyAreaSimilarity: 0,
      lastAnswerAt: lastAnswer.get(userId) ?? null,
    });
  }
  const evidence: Map<number, EvidenceAnswer[]>[] = [];
  let threads = 0;
  for (const { q } of split.test) {
    const { byAuthor, similarity } = await gatherEvidence({ title: q.title, body: q.body_text }, port, evidenceOptions);
    threads += similarity.size;
    evidence.push(byAuthor);
  }
  const candidates = evidence.map((byAuthor) =>
    [...base.values()].map((b) => ({ ...b, evidence: byAuthor.get(b.userId) ?? [], history: EMPTY_HISTORY })),
  );
  return { split, totals, base, evidence, candidates, meanThreads: threads / Math.max(1, split.test.length) };
}

export interface ReplayOptions {
  weights: Partial<RankingWeights>;
  /** The load window behind history.recentMatches. */
  loadWindowMs: number;
  /** The share window: history.recentShare is the fraction of the last this-many questions an expert was notified for (0 = none). */
  shareWindow: number;
  /** Whether a matched expert's answer (once posted) counts as answering when matched. */
  feedback: boolean;
  /** Also call rankExperts for the notified k and check it agrees with orderExperts (slower). */
  check?: boolean;
}

const startOfWeek = (t: number): number => {
  const d = new Date(t);
  const day = (d.getUTCDay() + 6) % 7;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day);
};

interface Match {
  at: number;
  answeredAt: number | null;
}

function historyAt(matches: Match[] | undefined, now: number, options: ReplayOptions): MatchHistory {
  if (matches === undefined || matches.length === 0) return EMPTY_HISTORY;
  const week = startOfWeek(now);
  let matched = 0;
  let recentMatches = 0;
  let matchesThisWeek = 0;
  const responses: number[] = [];
  for (const m of matches) {
    if (m.at > now) continue;
    matched++;
    if (m.at > now - options.loadWindowMs) recentMatches++;
    if (m.at >= week) matchesThisWeek++;
    if (options.feedback && m.answeredAt !== null && m.answeredAt <= now) responses.push(m.answeredAt - m.at);
  }
  responses.sort((a, b) => a - b);
  const mid = responses.length >> 1;
  const medianResponseMs =
    responses.length === 0
      ? null
      : responses.length % 2
        ? (responses[mid] as number)
        : ((responses[mid - 1] as number) + (responses[mid] as number)) / 2;
  return { matched, answered: responses.length, accepted: 0, medianResponseMs, recentMatches, matchesThisWeek };
}

export function replay(prepared: Prepared, options: ReplayOptions): Metrics {
  const { split, totals } = prepared;
  const matches = new Map<number, Match[]>();
  const acc = new MetricsAccumulator(split.candidates.length);
  // The share window: who was notified for each of the last `shareWindow` questions, and how often.
  const notifiedFor: number[][] = [];
  const inWindow = new Map<number, number>();
  const window = Math.max(0, Math.floor(options.shareWindow));
  split.test.forEach(({ q, relevant, answeredAt }, i) => {
    const now = Date.parse(q.created_at);
    const candidates = (prepared.candidates[i] as ExpertCandidate[]).map((c) => {
      const past = matches.get(c.userId);
      if (past === undefined) return c;
      const history = historyAt(past, now, options);
      return { ...c, history: window > 0 ? { ...history, recentShare: (inWindow.get(c.userId) ?? 0) / window } : history };
    });
    const question = { threadId: q.id, communityId: COMMUNITY, authorId: q.author_id, title: q.title, tags: q.tags ?? [], createdAt: now };
    // The notification: the product's call. The deeper ranks (for MRR, S@10): the same scores, unexplained.
    const order = orderExperts(question, candidates, { now, totals, weights: options.weights }).order.map((e) => e.userId);
    if (options.check) {
      const notified = rankExperts(question, candidates, { now, limit: K, totals, weights: options.weights }).shortlist.map(
        (e) => e.userId,
      );
      if (notified.some((userId, r) => order[r] !== userId)) throw new Error(`rankExperts and orderExperts disagree on question ${q.id}`);
    }
    acc.add(order, relevant);
    const topK = order.slice(0, K);
    if (window > 0) {
      notifiedFor.push(topK);
      for (const userId of topK) inWindow.set(userId, (inWindow.get(userId) ?? 0) + 1);
      if (notifiedFor.length > window)
        for (const userId of notifiedFor.shift() ?? []) inWindow.set(userId, (inWindow.get(userId) ?? 1) - 1);
    }
    for (const userId of topK) {
      let list = matches.get(userId);
      if (list === undefined) matches.set(userId, (list = []));
      const t = answeredAt.get(userId);
      list.push({ at: now, answeredAt: t !== undefined && t >= now ? t : null });
    }
  });
  return acc.result();
}

export const days = (n: number): number => n * DAY_MS;
