/** Relevance signals shared by the weighted score (rank.ts) and the learned ranker's features (learned.ts). */
import type { RankingWeights } from './rank.js';
import type { CommunityExpertiseTotals, EvidenceAnswer, ExpertCandidate } from './types.js';

export function evidenceWeight(answer: EvidenceAnswer, now: number, w: RankingWeights): number {
  if (!(answer.similarity > 0)) return 0;
  const quality = 1 + (answer.accepted ? w.acceptedBoost : 0) + w.voteBoost * Math.log1p(Math.max(0, answer.score));
  const age = Math.max(0, now - answer.answeredAt);
  const decay = Number.isFinite(w.evidenceHalfLifeMs) && w.evidenceHalfLifeMs > 0 ? Math.pow(0.5, age / w.evidenceHalfLifeMs) : 1;
  return answer.similarity * quality * decay;
}

/** Σ of the best `evidencePerAnswerer` weights; also which answer contributed most. */
const NO_EVIDENCE: Readonly<{ sum: number; best: number }> = Object.freeze({ sum: 0, best: -1 });

export function topicalOf(evidence: readonly EvidenceAnswer[], now: number, w: RankingWeights): { sum: number; best: number } {
  const n = evidence.length;
  // Most of a large community has no evidence for a question: no allocation for them.
  if (n === 0) return NO_EVIDENCE;
  const weights = evidence.map((answer) => evidenceWeight(answer, now, w));
  let best = 0;
  for (let i = 1; i < n; i++) if ((weights[i] ?? 0) > (weights[best] ?? 0)) best = i;
  const keep = Math.max(0, Math.floor(w.evidencePerAnswerer));
  let sum = 0;
  if (n <= keep) for (const value of weights) sum += value;
  else {
    const sorted = [...weights].sort((a, b) => b - a);
    for (let i = 0; i < keep; i++) sum += sorted[i] ?? 0;
  }
  return { sum, best: (weights[best] ?? 0) > 0 ? best : -1 };
}

export function tagExpertiseOf(
  candidate: ExpertCandidate,
  tags: readonly string[],
  totals: CommunityExpertiseTotals,
  w: RankingWeights,
): number {
  const share = totals.answers > 0 ? candidate.community.answers / totals.answers : 0;
  if (tags.length === 0) return share;
  const mu = Math.max(0, w.tagSmoothing);
  let sum = 0;
  for (const tag of tags) {
    const counts = candidate.tagCounts.get(tag);
    const own = counts === undefined ? 0 : counts.answers + w.tagAcceptedBonus * counts.accepted;
    const all = totals.tagAnswers.get(tag) ?? 0;
    sum += all + mu > 0 ? (own + mu * share) / (all + mu) : share;
  }
  return sum / tags.length;
}

export function activityOf(candidate: ExpertCandidate, maxAnswers: number, now: number, w: RankingWeights): number {
  if (maxAnswers <= 0) return 0;
  const share = Math.pow(candidate.community.answers / maxAnswers, w.activityExponent);
  const last = candidate.lastAnswerAt;
  if (last === undefined || last === null || !Number.isFinite(w.activityHalfLifeMs) || w.activityHalfLifeMs <= 0) return share;
  return share * Math.pow(0.5, Math.max(0, now - last) / w.activityHalfLifeMs);
}
