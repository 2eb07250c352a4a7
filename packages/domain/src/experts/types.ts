/**
 * Expert matching: the data `rankExperts` decides from. Everything is loaded by the caller (the
 * worker's match handler, or the offline benchmark replaying Stack Exchange data) and passed in;
 * times are epoch milliseconds, so the ranking has no clock of its own.
 */

/** The new question being routed. */
export interface ExpertQuestion {
  threadId: number;
  communityId: number;
  /** The asker: never a candidate. */
  authorId: number | null;
  title: string;
  tags: readonly string[];
  createdAt: number;
}

/** One past answer of a candidate that the search index found similar to the new question. */
export interface EvidenceAnswer {
  threadId: number;
  /** The past question's title, for the reason shown to the expert. */
  threadTitle: string;
  /** Relevance of that past thread to the new question, from the search index (> 0; comparable within one ranking). */
  similarity: number;
  accepted: boolean;
  /** Net votes on the answer. */
  score: number;
  answeredAt: number;
}

/** Answer counts of a candidate in one tag or in the whole community (before the question). */
export interface AnswerCounts {
  answers: number;
  accepted: number;
}

/** How a candidate responded when matched before (any question). */
export interface MatchHistory {
  /** Times matched (notified) before. */
  matched: number;
  /** Of those, times they answered the matched question. */
  answered: number;
  /** Of those, times their answer was accepted. */
  accepted: number;
  /** Median time from notification to answer, when they answered at least once. */
  medianResponseMs: number | null;
  /** Times notified within the load window before `now` (the load-spreading signal). */
  recentMatches: number;
  /** Times notified since the start of the current week (the weekly-cap signal). */
  matchesThisWeek: number;
  /**
   * Of the community's last matched questions (the caller's share window, a number of questions, so that
   * it adapts to the community's pace), the fraction this expert was notified for: the share-based
   * load-spreading signal. The caller divides by the window size even while fewer questions exist, so
   * a young community is not capped. Absent = unknown (no share cap).
   */
  recentShare?: number;
}

export interface ExpertAvailability {
  /** Explicit opt in/out, or the default (opted in once they answered in the community). */
  optedIn: boolean;
  /** At most this many matches a week; null = no cap. */
  weeklyCap: number | null;
  /** Local hours [start, end) during which they are never notified, e.g. {22, 7}; null = none. */
  quietHours: { start: number; end: number } | null;
  /** IANA time zone, e.g. "Europe/Berlin"; quiet hours are in it. */
  timeZone: string;
  /** Tags they asked never to be matched on, and tags they want (a boost). */
  mutedTags: readonly string[];
  wantedTags: readonly string[];
}

export interface ExpertCandidate {
  userId: number;
  /** Decided by the caller with `can(viewer, 'thread.read', thread)`. */
  canRead: boolean;
  suspended: boolean;
  /** Declined this question already (either reason), or was matched for it in an earlier round. */
  declinedThisQuestion: boolean;
  alreadyMatched: boolean;
  evidence: readonly EvidenceAnswer[];
  /** Per question tag, the candidate's counts (a tag absent from the map: none). */
  tagCounts: ReadonlyMap<string, AnswerCounts>;
  community: AnswerCounts;
  history: MatchHistory;
  availability: ExpertAvailability;
  /** Sum of the similarity of past questions they declined as "not my area" that resemble this one. */
  notMyAreaSimilarity: number;
  /** When they last answered in the community (epoch ms); absent or null = unknown (no recency discount). */
  lastAnswerAt?: number | null;
  /** When and how they answer (the learned ranker's activity, time-of-day and quality features); absent = unknown. */
  activity?: ExpertActivity;
  /** BM25 of the question against their answers concatenated (profile-centric evidence); absent = 0. */
  profileSimilarity?: number;
  /** Co-answer network score around the question's similar threads (ExpertHistoryIndex.coAnswerScores); absent = 0. */
  coAnswer?: number;
}

/** A candidate's answering history before the question (ExpertHistoryIndex.activityOf). */
export interface ExpertActivity {
  answers: number;
  accepted: number;
  /** Sum of the net votes on their answers. */
  scoreSum: number;
  /** Answers in the last 1, 7, 30 and 90 days before the question. */
  last1d: number;
  last7d: number;
  last30d: number;
  last90d: number;
  lastAnswerAt: number | null;
  /** Answers per UTC hour of day (24 entries) and per UTC weekday (7, Sunday first); each sums to `answers`. */
  hourCounts: readonly number[];
  weekdayCounts: readonly number[];
  /** Median time from a question being asked to their answer. */
  medianDelayMs: number | null;
  /** Per tag, when they last answered a question carrying it. */
  tagLastAnswerAt: ReadonlyMap<string, number>;
}

/** Community-wide totals for smoothing per-tag expertise. */
export interface CommunityExpertiseTotals {
  answers: number;
  /** Per question tag, all answers in threads carrying it. */
  tagAnswers: ReadonlyMap<string, number>;
}

export type ExclusionReason =
  'asker' | 'suspended' | 'cannot_read' | 'declined' | 'already_matched' | 'opted_out' | 'muted_tag' | 'quiet_hours' | 'weekly_cap';

export interface RankedExpert {
  userId: number;
  score: number;
  /** The signal values that made up the score, for leaders and for tuning. */
  signals: Record<string, number>;
  /** Human-readable, most telling first, e.g. "answered 4 similar questions about hops (2 accepted)". */
  reasons: string[];
}

export interface ExpertRanking {
  /** Best first; at most `limit`. */
  shortlist: RankedExpert[];
  excluded: { userId: number; reason: ExclusionReason }[];
}
