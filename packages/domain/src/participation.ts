/**
 * Participation levels: where a member stands in one community, after Lave & Wenger's legitimate
 * peripheral participation. People start at the edge (newcomer: joined, maybe asked), take part a
 * little (peripheral: an occasional reply), answer regularly (active), carry the community (core:
 * many answers, several accepted) and lead it (leader: a leader/moderator role, or sustained core
 * contribution). Computed by the worker from the figures below; this module only decides.
 */

export const participationLevels = ['newcomer', 'peripheral', 'active', 'core', 'leader'] as const;
export type ParticipationLevel = (typeof participationLevels)[number];

/** A member's activity in one community: the recent window (default 90 days) and their whole history. */
export interface ParticipationFigures {
  /** Role in the community: a leader or moderator role makes a leader whatever the activity. */
  role: 'member' | 'leader' | 'moderator';
  /** Visible posts (questions, answers, comments) in the window. */
  posts: number;
  /** Questions asked in the window. */
  questions: number;
  /** Replies to other members' questions in the window. */
  answers: number;
  /** Of those, accepted as the solution. */
  accepted: number;
  /** Distinct UTC days with a post in the window. */
  daysActive: number;
  /** Published guides crediting one of their posts. */
  guidesCredited: number;
  lifetimePosts: number;
  lifetimeAnswers: number;
  lifetimeAccepted: number;
}

/** The minimum figures (all must hold) for each level above newcomer; see `defaultParticipationThresholds`. */
export interface ParticipationThresholds {
  /** Days in the recent window (documentation for the caller that computes the figures). */
  windowDays: number;
  peripheral: {
    /** Any of: a reply to someone, a few posts, or a past history of answering. */
    answers: number;
    posts: number;
    lifetimeAnswers: number;
  };
  active: { answers: number; daysActive: number };
  core: { answers: number; accepted: number; daysActive: number };
  /** Sustained core activity without a role; or core plus guides credited. */
  leader: { answers: number; accepted: number; daysActive: number; guidesCreditedWithCore: number };
}

/**
 * The defaults, for communities with a few questions a day (the demo has 149 threads):
 * - peripheral: 1 answer, or 3 posts, in 90 days; or 5 answers ever (a regular who slowed down moves
 *   back to the edge, not out);
 * - active: 3 answers on 3 different days in 90 days (about one a month: regular, not a burst);
 * - core: 10 answers, 3 accepted, on 6 days;
 * - leader: a leader/moderator role, or 30 answers, 10 accepted, on 20 days (sustained core), or core with
 *   3 published guides crediting them.
 */
export const defaultParticipationThresholds: ParticipationThresholds = {
  windowDays: 90,
  peripheral: { answers: 1, posts: 3, lifetimeAnswers: 5 },
  active: { answers: 3, daysActive: 3 },
  core: { answers: 10, accepted: 3, daysActive: 6 },
  leader: { answers: 30, accepted: 10, daysActive: 20, guidesCreditedWithCore: 3 },
};

/** The participation level these figures earn. Pure: same figures, same level. */
export function participationLevelFor(
  figures: ParticipationFigures,
  thresholds: ParticipationThresholds = defaultParticipationThresholds,
): ParticipationLevel {
  if (figures.role === 'leader' || figures.role === 'moderator') return 'leader';
  const { peripheral, active, core, leader } = thresholds;
  const isCore = figures.answers >= core.answers && figures.accepted >= core.accepted && figures.daysActive >= core.daysActive;
  const sustained = figures.answers >= leader.answers && figures.accepted >= leader.accepted && figures.daysActive >= leader.daysActive;
  if (sustained || (isCore && figures.guidesCredited >= leader.guidesCreditedWithCore)) return 'leader';
  if (isCore) return 'core';
  if (figures.answers >= active.answers && figures.daysActive >= active.daysActive) return 'active';
  if (figures.answers >= peripheral.answers || figures.posts >= peripheral.posts || figures.lifetimeAnswers >= peripheral.lifetimeAnswers)
    return 'peripheral';
  return 'newcomer';
}

/** 0 for newcomer … 4 for leader: for sorting and for telling a move up from a move down. */
export const participationRank = (level: ParticipationLevel): number => participationLevels.indexOf(level);

export const isParticipationLevel = (value: unknown): value is ParticipationLevel =>
  (participationLevels as readonly unknown[]).includes(value);

/** A level change to record, or null when the level stayed (recomputing never writes a movement twice). */
export function participationChange(
  previous: ParticipationLevel | null,
  next: ParticipationLevel,
): { from: ParticipationLevel | null; to: ParticipationLevel; direction: 'up' | 'down' | 'new' } | null {
  if (previous === next) return null;
  if (previous === null) return { from: null, to: next, direction: 'new' };
  return { from: previous, to: next, direction: participationRank(next) > participationRank(previous) ? 'up' : 'down' };
}
