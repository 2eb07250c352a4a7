/**
 * Trust levels (after Discourse): TL0 newcomer → TL1 basic → TL2 member → TL3 regular, computed from
 * activity. TL4 (leader) is only ever granted by hand. Pure: the caller loads the stats and thresholds.
 */

export const TRUST_LEVEL_NAMES = ['newcomer', 'basic', 'member', 'regular', 'leader'] as const;

/** The activity a level is computed from (a user_stats row). */
export interface TrustStats {
  daysVisited: number;
  /** Distinct threads opened while signed in. */
  topicsEntered: number;
  postsRead: number;
  replies: number;
  acceptedAnswers: number;
  /** Posts of theirs that moderators hid, deleted or suspended them for after a flag. */
  flagsUpheld: number;
}

/** What a level needs: at least these counts, and at most `maxFlagsUpheld` upheld flags. */
export interface TrustRequirement {
  daysVisited: number;
  topicsEntered: number;
  postsRead: number;
  replies: number;
  acceptedAnswers: number;
  maxFlagsUpheld: number;
}

export interface TrustThresholds {
  tl1: TrustRequirement;
  tl2: TrustRequirement;
  tl3: TrustRequirement;
}

/**
 * Defaults, from Discourse's site settings where one exists:
 * - TL1 basic: entered 5 topics and read 30 posts (tl1_requires_topics_entered / _read_posts).
 * - TL2 member: visited on 15 days, entered 20 topics, read 100 posts, replied 3 times
 *   (tl2_requires_days_visited / _topics_entered / _read_posts / _topic_reply_count).
 * - TL3 regular: visited on 50 days, entered 100 topics, read 500 posts, replied 10 times
 *   (Discourse's TL3 asks for 50 of the last 100 days, 10 replies, 500 posts read), plus one accepted
 *   answer: in a community of practice a regular has helped someone.
 * Upheld flags pull levels down: more than 4 (Discourse: tl3_requires_max_flagged 5) bars TL3, more
 * than 8 bars TL2, more than 12 bars TL1.
 */
export const DEFAULT_TRUST_THRESHOLDS: TrustThresholds = {
  tl1: { daysVisited: 0, topicsEntered: 5, postsRead: 30, replies: 0, acceptedAnswers: 0, maxFlagsUpheld: 12 },
  tl2: { daysVisited: 15, topicsEntered: 20, postsRead: 100, replies: 3, acceptedAnswers: 0, maxFlagsUpheld: 8 },
  tl3: { daysVisited: 50, topicsEntered: 100, postsRead: 500, replies: 10, acceptedAnswers: 1, maxFlagsUpheld: 4 },
};

const meets = (s: TrustStats, r: TrustRequirement): boolean =>
  s.daysVisited >= r.daysVisited &&
  s.topicsEntered >= r.topicsEntered &&
  s.postsRead >= r.postsRead &&
  s.replies >= r.replies &&
  s.acceptedAnswers >= r.acceptedAnswers &&
  s.flagsUpheld <= r.maxFlagsUpheld;

/** The highest level (0–3) whose requirements, and every lower level's, the stats meet. */
export function trustLevelFor(stats: TrustStats, thresholds: TrustThresholds = DEFAULT_TRUST_THRESHOLDS): 0 | 1 | 2 | 3 {
  if (!meets(stats, thresholds.tl1)) return 0;
  if (!meets(stats, thresholds.tl2)) return 1;
  if (!meets(stats, thresholds.tl3)) return 2;
  return 3;
}

/** What TL0 (newcomers) may do per post and per day. */
export interface NewcomerLimits {
  linksPerPost: number;
  mentionsPerPost: number;
  /** Threads and replies together, per UTC day. */
  postsPerDay: number;
  topicsPerDay: number;
}

/** Discourse: newuser_max_links 2, newuser_max_mentions_per_post 2, max_replies_in_first_day 10, max_topics_in_first_day 3. */
export const DEFAULT_NEWCOMER_LIMITS: NewcomerLimits = { linksPerPost: 2, mentionsPerPost: 2, postsPerDay: 10, topicsPerDay: 3 };

export interface NewcomerActivity {
  trustLevel: number;
  links: number;
  mentions: number;
  /** Posts (threads and replies) already written today, not counting this one. */
  postsToday: number;
  /** Threads already started today, not counting this one. */
  topicsToday: number;
  /** Whether this post starts a thread (only then does topicsPerDay apply). */
  startsTopic?: boolean;
}

export interface NewcomerLimitHit {
  limit: keyof NewcomerLimits;
  max: number;
  message: string;
}

const LATER = "you'll be able to post more after a few days of reading and replying";
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** null when the post may go ahead; otherwise which limit it hits and what to tell the author. */
export function checkNewcomerLimits(activity: NewcomerActivity, limits: NewcomerLimits = DEFAULT_NEWCOMER_LIMITS): NewcomerLimitHit | null {
  if (activity.trustLevel > 0) return null;
  if (activity.links > limits.linksPerPost) {
    return {
      limit: 'linksPerPost',
      max: limits.linksPerPost,
      message: `New members can include at most ${plural(limits.linksPerPost, 'link', 'links')} per post; ${LATER}`,
    };
  }
  if (activity.mentions > limits.mentionsPerPost) {
    return {
      limit: 'mentionsPerPost',
      max: limits.mentionsPerPost,
      message: `New members can mention at most ${plural(limits.mentionsPerPost, 'person', 'people')} per post; ${LATER}`,
    };
  }
  if (activity.startsTopic && activity.topicsToday >= limits.topicsPerDay) {
    return {
      limit: 'topicsPerDay',
      max: limits.topicsPerDay,
      message: `New members can start at most ${plural(limits.topicsPerDay, 'topic', 'topics')} a day; try again tomorrow — ${LATER}`,
    };
  }
  if (activity.postsToday >= limits.postsPerDay) {
    return {
      limit: 'postsPerDay',
      max: limits.postsPerDay,
      message: `New members can post at most ${plural(limits.postsPerDay, 'time', 'times')} a day; try again tomorrow — ${LATER}`,
    };
  }
  return null;
}

/** External links in rendered, sanitized post HTML (mention links to profiles do not count). */
export function countLinks(html: string): number {
  return (html.match(/<a\s[^>]*href="(?:https?:|mailto:|\/\/)/gi) ?? []).length;
}
