/**
 * Expert matching: who should be asked to answer a new question (DESIGN.md "Expert matching").
 *
 * A pure function (STYLE.md B3): no clock, randomness or I/O. `now` is passed in, the evidence was
 * retrieved by the caller, and the same inputs always give the same shortlist.
 *
 * score(e) = topical·T̂ + tag·Ĝ + activity·Â + responsiveness·R + speed·S + wantedTag·W
 *            − notMyArea·N − load·recentMatches − share·H − shareCap·[H ≥ shareTarget]
 *
 *   T  = Σ over e's best `evidencePerAnswerer` evidence answers of
 *        similarity × (1 + acceptedBoost·accepted + voteBoost·ln(1 + max(0, votes))) × 0.5^(age / half-life)
 *        (Balog et al. 2006, model 2, document-centric); T̂ = T / max T over the eligible candidates.
 *   G  = mean over the question's tags of (n(e,t) + tagAcceptedBonus·acc(e,t) + μ·p(e)) / (N(t) + μ),
 *        Dirichlet smoothing of e's share of the tag's answers towards e's share p(e) of all answers;
 *        Ĝ = G / max G.
 *   Â  = (answers(e) / max answers)^activityExponent × 0.5^(time since e's last answer / activity half-life)
 *        — prior activity ("who answers most"), discounted when they stopped answering.
 *   R  = (answered + s·prior) / (matched + s) − prior: answer rate when matched, 0 for never-matched.
 *   S  = fast / (fast + median response) − 1/2, 0 without a median.
 *   W  = 1 when a question tag is one of e's wanted tags.
 *   N  = notMyAreaSimilarity / max evidence similarity (the same scale as the evidence).
 *   H  = history.recentShare: the fraction of the community's last matched questions this expert was
 *        notified for (0 when unknown). At or above shareTarget the expert is pushed down by shareCap, a
 *        soft cap: below everyone under the target when shareCap is large, yet still eligible, so the cap
 *        relaxes when too few others are left.
 */
import type { CommunityExpertiseTotals, ExclusionReason, ExpertCandidate, ExpertQuestion, ExpertRanking, RankedExpert } from './types.js';
import { expertFeatureNames, expertFeatures, FEATURE_COUNT, groupContributions, scoreFeatures, type RankingModel } from './learned.js';
import { activityOf, tagExpertiseOf, topicalOf } from './signals.js';

const DAY_MS = 86_400_000;

export interface RankingWeights {
  /** Weight of topical evidence (max-normalised). Default 1. */
  topical: number;
  /** At most this many of a candidate's evidence answers (the best) count. Default 5. */
  evidencePerAnswerer: number;
  /** An accepted answer counts (1 + acceptedBoost) times. Default 1. */
  acceptedBoost: number;
  /** Each answer counts (1 + voteBoost·ln(1 + votes)) times (negative votes count as 0). Default 0.25. */
  voteBoost: number;
  /** Half-life of an evidence answer's weight; Infinity = no decay. Default 365 days. */
  evidenceHalfLifeMs: number;
  /** Weight of smoothed tag expertise (max-normalised). Default 0.5 (validation chose it; see the decision record). */
  tag: number;
  /** Dirichlet prior mass μ, in answers, pulling a tag share towards the community share. Default 10. */
  tagSmoothing: number;
  /** An accepted answer in a tag counts this much extra. Default 1. */
  tagAcceptedBonus: number;
  /** Weight of prior activity in the community (max-normalised answer count). Default 2. */
  activity: number;
  /** Shape of the activity signal: 1 = linear share of the top answerer's count, lower = flatter. Default 0.5. */
  activityExponent: number;
  /**
   * Activity is discounted by 0.5^(time since their last answer / this), when `lastAnswerAt` is known;
   * Infinity = no discount. Default 180 days.
   */
  activityHalfLifeMs: number;
  /** Weight of the answer rate when matched before (minus the prior). Default 0.3. */
  responsiveness: number;
  /** Answer rate assumed for someone never matched. Default 0.5. */
  responsivenessPrior: number;
  /** Strength of that prior, in pseudo-matches. Default 2. */
  responsivenessPriorStrength: number;
  /** Weight of answering fast when matched. Default 0.1. */
  speed: number;
  /** A median response of this long scores half-way. Default 2 h. */
  fastResponseMs: number;
  /** Penalty per match in the caller's 7-day load window (0 = off). Default 0: the share signal replaced it. */
  load: number;
  /** Penalty per unit of recent share (history.recentShare, 0–1). Default 0.5. */
  share: number;
  /**
   * Penalty when history.recentShare is at or above shareTarget: the soft share cap (0 = off). 10 puts a
   * capped expert below everyone under the target. Default 0: on validation the cap that keeps maxShare
   * ≤ 0.25 costs most of S@3 (see the decision record), so it is left for a community to switch on.
   */
  shareCap: number;
  /** The recent share at which the soft cap applies. Default 0.2. */
  shareTarget: number;
  /** Penalty per unit of normalised "not my area" similarity. Default 0.5. */
  notMyArea: number;
  /** Boost when the question carries one of the expert's wanted tags. Default 0.1. */
  wantedTag: number;
}

/**
 * Chosen on a validation split of the Stack Exchange history (before the test cutoff) by the offline
 * benchmark `pnpm bench:matching`; see docs/decisions/2026-12-02-expert-ranking.md.
 */
export const defaultRankingWeights: RankingWeights = {
  topical: 1,
  evidencePerAnswerer: 5,
  acceptedBoost: 1,
  voteBoost: 0.25,
  evidenceHalfLifeMs: 365 * DAY_MS,
  tag: 0.5,
  tagSmoothing: 10,
  tagAcceptedBonus: 1,
  activity: 2,
  activityExponent: 0.5,
  activityHalfLifeMs: 180 * DAY_MS,
  responsiveness: 0.3,
  responsivenessPrior: 0.5,
  responsivenessPriorStrength: 2,
  speed: 0.1,
  fastResponseMs: 2 * 3_600_000,
  load: 0,
  share: 0.5,
  shareCap: 0,
  shareTarget: 0.2,
  notMyArea: 0.5,
  wantedTag: 0.1,
};

/**
 * The share window the callers use for history.recentShare: the community's last this-many matched
 * questions (chosen on validation with the share target; see the decision record).
 */
export const defaultShareWindow = 20;

export interface RankingContext {
  /** Epoch ms: the moment the experts would be notified. */
  now: number;
  /** Shortlist size. */
  limit: number;
  totals: CommunityExpertiseTotals;
  weights?: Partial<RankingWeights>;
  /**
   * The community's learned model (learned.ts). When given, its score replaces the relevance terms
   * (topical, tag, activity); the feedback terms (responsiveness, speed, wanted tag, not my area) and load
   * spreading are added as in the weighted score, since a community's history cannot teach them.
   */
  model?: RankingModel | null;
}

// ---------------------------------------------------------------- availability

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    const options: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: 'numeric', hourCycle: 'h23' };
    try {
      formatter = new Intl.DateTimeFormat('en-US', { ...options, timeZone });
    } catch {
      // An unknown or malformed zone: quiet hours are read in UTC.
      formatter = formatterFor('UTC');
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The local time of day at `now` in `timeZone`, in hours (e.g. 22.5 for 22:30); UTC for an invalid zone. */
export function localHour(now: number, timeZone: string): number {
  let hour = 0;
  let minute = 0;
  for (const part of formatterFor(timeZone).formatToParts(now)) {
    if (part.type === 'hour') hour = Number(part.value) % 24;
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return hour + minute / 60;
}

/** Whether `hour` is inside [start, end); a window with start > end wraps midnight; start = end is empty. */
export function inQuietHours(hour: number, window: { start: number; end: number }): boolean {
  const { start, end } = window;
  if (start === end) return false;
  return start < end ? hour >= start && hour < end : hour >= start || hour < end;
}

function exclusionOf(
  candidate: ExpertCandidate,
  question: ExpertQuestion,
  questionTags: ReadonlySet<string>,
  hourIn: (timeZone: string) => number,
): ExclusionReason | null {
  if (question.authorId !== null && candidate.userId === question.authorId) return 'asker';
  if (candidate.suspended) return 'suspended';
  if (!candidate.canRead) return 'cannot_read';
  if (candidate.declinedThisQuestion) return 'declined';
  if (candidate.alreadyMatched) return 'already_matched';
  const { availability } = candidate;
  if (!availability.optedIn) return 'opted_out';
  if (availability.mutedTags.some((tag) => questionTags.has(tag.toLowerCase()))) return 'muted_tag';
  if (availability.weeklyCap !== null && candidate.history.matchesThisWeek >= availability.weeklyCap) return 'weekly_cap';
  if (availability.quietHours !== null && inQuietHours(hourIn(availability.timeZone), availability.quietHours)) {
    return 'quiet_hours';
  }
  return null;
}

// ---------------------------------------------------------------- signals

function responsivenessOf(candidate: ExpertCandidate, w: RankingWeights): number {
  const { matched, answered } = candidate.history;
  const s = Math.max(0, w.responsivenessPriorStrength);
  if (matched + s <= 0) return 0;
  return (answered + s * w.responsivenessPrior) / (matched + s) - w.responsivenessPrior;
}

function speedOf(candidate: ExpertCandidate, w: RankingWeights): number {
  const median = candidate.history.medianResponseMs;
  if (median === null || candidate.history.answered === 0) return 0;
  return w.fastResponseMs / (w.fastResponseMs + Math.max(0, median)) - 0.5;
}

/** The load-spreading cost of a recent share: linear, plus the soft cap at the target. */
function shareCost(share: number, w: RankingWeights): number {
  if (!(share > 0)) return 0;
  return w.share * share + (w.shareCap !== 0 && share >= w.shareTarget ? w.shareCap : 0);
}

// ---------------------------------------------------------------- reasons

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function duration(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 90) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return plural(Math.round(hours / 24), 'day');
}

const MAX_TITLE = 80;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function quoted(title: string): string {
  const clean = title.replace(/\s+/g, ' ').trim();
  return `"${clean.length > MAX_TITLE ? `${clean.slice(0, MAX_TITLE - 1).trimEnd()}…` : clean}"`;
}

interface Scored {
  index: number;
  score: number;
  answers: number;
  userId: number;
}

/** Best first: score, then community answer count, then user id. */
function better(a: Scored, b: Scored): number {
  return b.score - a.score || b.answers - a.answers || a.userId - b.userId;
}

/** The `limit` best, best first, without sorting everything when the shortlist is small. */
function best(scored: Scored[], limit: number): Scored[] {
  if (limit <= 0) return [];
  if (limit * 8 >= scored.length) return [...scored].sort(better).slice(0, limit);
  const top: Scored[] = [];
  for (const entry of scored) {
    if (top.length === limit && better(entry, top[limit - 1] as Scored) >= 0) continue;
    let at = top.length;
    while (at > 0 && better(entry, top[at - 1] as Scored) < 0) at--;
    top.splice(at, 0, entry);
    if (top.length > limit) top.pop();
  }
  return top;
}

interface Prepared {
  w: RankingWeights;
  tags: string[];
  questionTags: Set<string>;
  eligible: ExpertCandidate[];
  excluded: ExpertRanking['excluded'];
  scored: Scored[];
  bestEvidence: Int32Array;
  signalsOf(index: number): Record<string, number>;
  contributions(signals: Record<string, number>, index: number): Record<string, number>;
  maxAnswers: number;
  learned: boolean;
}

function scoreCandidates(question: ExpertQuestion, candidates: readonly ExpertCandidate[], context: RankingContext): Prepared {
  const w: RankingWeights = { ...defaultRankingWeights, ...context.weights };
  const { now, totals } = context;
  const tags = [...new Set(question.tags)];
  const questionTags = new Set(tags.map((tag) => tag.toLowerCase()));

  const excluded: ExpertRanking['excluded'] = [];
  const eligible: ExpertCandidate[] = [];
  // One local time per zone: the same `now` for everyone, and Intl formatting is the slow part of a large ranking.
  const hours = new Map<string, number>();
  const hourIn = (timeZone: string): number => {
    let hour = hours.get(timeZone);
    if (hour === undefined) hours.set(timeZone, (hour = localHour(now, timeZone)));
    return hour;
  };
  for (const candidate of candidates) {
    const reason = exclusionOf(candidate, question, questionTags, hourIn);
    if (reason === null) eligible.push(candidate);
    else excluded.push({ userId: candidate.userId, reason });
  }

  const n = eligible.length;
  const topical = new Float64Array(n);
  const bestEvidence = new Int32Array(n);
  const tagExpertise = new Float64Array(n);
  let maxTopical = 0;
  let maxTag = 0;
  let maxAnswers = 0;
  let maxSimilarity = 0;
  for (let i = 0; i < n; i++) {
    const candidate = eligible[i] as ExpertCandidate;
    const { sum, best: top } = topicalOf(candidate.evidence, now, w);
    topical[i] = sum;
    bestEvidence[i] = top;
    if (sum > maxTopical) maxTopical = sum;
    for (const answer of candidate.evidence) if (answer.similarity > maxSimilarity) maxSimilarity = answer.similarity;
    const g = w.tag === 0 || context.model ? 0 : tagExpertiseOf(candidate, tags, totals, w);
    tagExpertise[i] = g;
    if (g > maxTag) maxTag = g;
    if (candidate.community.answers > maxAnswers) maxAnswers = candidate.community.answers;
  }

  const model = context.model ?? null;
  const features = model === null ? null : expertFeatures(tags, eligible, now, totals, w, topical);
  const modelScores = model === null || features === null ? null : scoreFeatures(model, features, n);

  const signalsOf = (i: number): Record<string, number> => {
    const candidate = eligible[i] as ExpertCandidate;
    const wanted = candidate.availability.wantedTags.some((tag) => questionTags.has(tag.toLowerCase())) ? 1 : 0;
    const notMyArea = maxSimilarity > 0 ? candidate.notMyAreaSimilarity / maxSimilarity : candidate.notMyAreaSimilarity;
    return {
      topical: maxTopical > 0 ? (topical[i] as number) / maxTopical : 0,
      tag: maxTag > 0 ? (tagExpertise[i] as number) / maxTag : 0,
      activity: activityOf(candidate, maxAnswers, now, w),
      responsiveness: responsivenessOf(candidate, w),
      speed: speedOf(candidate, w),
      wantedTag: wanted,
      notMyArea,
      recentMatches: candidate.history.recentMatches,
      recentShare: candidate.history.recentShare ?? 0,
      ...(features === null
        ? {}
        : Object.fromEntries(expertFeatureNames.map((name, j) => [`f_${name}`, features[i * FEATURE_COUNT + j] as number]))),
    };
  };
  const contributions = (s: Record<string, number>, i: number): Record<string, number> => ({
    ...(model === null || features === null
      ? { topical: w.topical * (s.topical ?? 0), tag: w.tag * (s.tag ?? 0), activity: w.activity * (s.activity ?? 0) }
      : groupContributions(model, features, i)),
    responsiveness: w.responsiveness * (s.responsiveness ?? 0),
    speed: w.speed * (s.speed ?? 0),
    wantedTag: w.wantedTag * (s.wantedTag ?? 0),
    notMyArea: -w.notMyArea * (s.notMyArea ?? 0),
    load: -w.load * (s.recentMatches ?? 0),
    share: -shareCost(s.recentShare ?? 0, w),
  });

  // The same sum as contributions(signalsOf(i)), without allocating per candidate.
  const scored: Scored[] = new Array<Scored>(n);
  for (let i = 0; i < n; i++) {
    const candidate = eligible[i] as ExpertCandidate;
    const answers = candidate.community.answers;
    let score = 0;
    if (modelScores !== null) score += modelScores[i] as number;
    else {
      if (maxTopical > 0) score += (w.topical * (topical[i] as number)) / maxTopical;
      if (maxTag > 0) score += (w.tag * (tagExpertise[i] as number)) / maxTag;
      if (w.activity !== 0) score += w.activity * activityOf(candidate, maxAnswers, now, w);
    }
    score += w.responsiveness * responsivenessOf(candidate, w) + w.speed * speedOf(candidate, w);
    if (w.wantedTag !== 0 && candidate.availability.wantedTags.some((tag) => questionTags.has(tag.toLowerCase()))) score += w.wantedTag;
    if (candidate.notMyAreaSimilarity !== 0) {
      score -= w.notMyArea * (maxSimilarity > 0 ? candidate.notMyAreaSimilarity / maxSimilarity : candidate.notMyAreaSimilarity);
    }
    score -= w.load * candidate.history.recentMatches;
    const share = candidate.history.recentShare;
    if (share !== undefined && share > 0) score -= shareCost(share, w);
    scored[i] = { index: i, score, answers, userId: candidate.userId };
  }
  return { w, tags, questionTags, eligible, excluded, scored, bestEvidence, signalsOf, contributions, maxAnswers, learned: model !== null };
}

/**
 * Every eligible candidate, best first (the order `rankExperts` shortlists from), with its score, and
 * the excluded ones; no reasons. For evaluations that need the whole ranking.
 */
export function orderExperts(
  question: ExpertQuestion,
  candidates: readonly ExpertCandidate[],
  context: Omit<RankingContext, 'limit'>,
): { order: { userId: number; score: number }[]; excluded: ExpertRanking['excluded'] } {
  const { scored, excluded } = scoreCandidates(question, candidates, { ...context, limit: 0 });
  return { order: [...scored].sort(better).map(({ userId, score }) => ({ userId, score })), excluded };
}

/**
 * Ranks the candidates for the question: an ordered shortlist of at most `context.limit`, each with
 * the signals that made up its score and at least one human-readable reason, and every candidate
 * that may not be notified with the first reason that rules them out.
 */
export function rankExperts(question: ExpertQuestion, candidates: readonly ExpertCandidate[], context: RankingContext): ExpertRanking {
  const p = scoreCandidates(question, candidates, context);
  const shortlist: RankedExpert[] = best(p.scored, Math.floor(context.limit)).map(({ index, score }) => {
    const candidate = p.eligible[index] as ExpertCandidate;
    const signals = p.signalsOf(index);
    const parts = p.contributions(signals, index);
    const reasons = reasonsFor(
      candidate,
      p.tags,
      p.questionTags,
      p.bestEvidence[index] as number,
      p.maxAnswers,
      parts,
      p.learned ? { now: context.now, signals } : null,
    );
    return { userId: candidate.userId, score, signals: { ...signals, ...prefixed(parts) }, reasons };
  });
  return { shortlist, excluded: p.excluded };
}

function prefixed(parts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(parts).map(([key, value]) => [`${key}Score`, value]));
}

function reasonsFor(
  candidate: ExpertCandidate,
  tags: readonly string[],
  questionTags: ReadonlySet<string>,
  bestEvidence: number,
  maxAnswers: number,
  parts: Record<string, number>,
  learned: { now: number; signals: Record<string, number> } | null,
): string[] {
  const found: { text: string; weight: number }[] = [];
  // The weighted score's reasons carry fixed offsets (evidence first); a model's are ordered by its contributions alone.
  const offset = (value: number): number => (learned === null ? value : 0);

  const example = candidate.evidence[bestEvidence];
  if (example !== undefined) {
    const threads = new Set<number>();
    const accepted = new Set<number>();
    for (const answer of candidate.evidence) {
      if (!(answer.similarity > 0)) continue;
      threads.add(answer.threadId);
      if (answer.accepted) accepted.add(answer.threadId);
    }
    const count = threads.size;
    const text =
      `answered ${count === 1 ? 'a similar question' : `${count} similar questions`}, like ${quoted(example.threadTitle)}` +
      (accepted.size > 0 ? ` (${accepted.size} accepted)` : '');
    found.push({ text, weight: (parts.topical ?? 0) + offset(1) });
  }

  let bestTag: { tag: string; answers: number; accepted: number } | undefined;
  for (const tag of tags) {
    const counts = candidate.tagCounts.get(tag);
    if (counts !== undefined && counts.answers > 0 && (bestTag === undefined || counts.answers > bestTag.answers)) {
      bestTag = { tag, answers: counts.answers, accepted: counts.accepted };
    }
  }
  if (bestTag !== undefined) {
    const text =
      `${plural(bestTag.answers, 'answer')} tagged ${bestTag.tag}` + (bestTag.accepted > 0 ? ` (${bestTag.accepted} accepted)` : '');
    found.push({ text, weight: (parts.tag ?? parts.tags ?? 0) + offset(0.5) });
  }

  const wanted = candidate.availability.wantedTags.find((tag) => questionTags.has(tag.toLowerCase()));
  if (wanted !== undefined) found.push({ text: `asked for questions tagged ${wanted}`, weight: parts.wantedTag ?? 0 });

  const { history } = candidate;
  if (history.answered > 0 && history.medianResponseMs !== null && history.medianResponseMs <= 4 * 3_600_000) {
    found.push({
      text: `answers quickly when asked (median ${duration(history.medianResponseMs)})`,
      weight: (parts.speed ?? 0) + offset(0.2),
    });
  } else if (history.matched >= 2 && history.answered * 2 >= history.matched) {
    found.push({
      text: `answered ${history.answered} of ${history.matched} questions they were asked`,
      weight: (parts.responsiveness ?? 0) + offset(0.2),
    });
  }

  const answers = candidate.community.answers;
  if (answers > 0 && answers * 4 >= maxAnswers) {
    found.push({ text: `one of the community's most active answerers (${plural(answers, 'answer')})`, weight: parts.activity ?? 0 });
  } else if (answers > 0) {
    found.push({ text: `${plural(answers, 'answer')} in this community`, weight: (parts.activity ?? 0) - 1 });
  }

  const activity = candidate.activity;
  if (learned !== null && activity !== undefined) {
    const { now, signals } = learned;
    if ((parts.recency ?? 0) > 0) {
      const text =
        activity.last7d > 0
          ? `answered ${plural(activity.last7d, 'question')} in the last week`
          : activity.last30d > 0
            ? `answered ${plural(activity.last30d, 'question')} in the last 30 days`
            : activity.lastAnswerAt !== null
              ? `last answered ${duration(now - activity.lastAnswerAt)} ago`
              : '';
      if (text !== '') found.push({ text, weight: parts.recency ?? 0 });
    }
    if ((parts.timeOfDay ?? 0) > 0) {
      const text =
        (signals.f_hourAffinity ?? 0) > 0
          ? 'usually online at this hour'
          : `often answers on ${WEEKDAYS[new Date(now).getUTCDay()] ?? 'this day'}s`;
      found.push({ text, weight: parts.timeOfDay ?? 0 });
    }
    if ((parts.quality ?? 0) > 0 && activity.accepted > 0) {
      found.push({ text: `${activity.accepted} of their ${plural(activity.answers, 'answer')} accepted`, weight: parts.quality ?? 0 });
    }
    if ((parts.profile ?? 0) > 0 && example === undefined)
      found.push({ text: 'their answers cover this topic', weight: parts.profile ?? 0 });
    if ((parts.network ?? 0) > 0)
      found.push({ text: 'often answers alongside those who answered similar questions', weight: parts.network ?? 0 });
  }

  if (found.length === 0) found.push({ text: 'open to questions in this community', weight: 0 });
  return found.sort((a, b) => b.weight - a.weight).map(({ text }) => text);
}
