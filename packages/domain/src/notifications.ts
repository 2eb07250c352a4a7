/**
 * Who hears about what: pure planning after Discourse's PostAlerter (priority order, one notification
 * per recipient per cause, mute checks). The caller loads the data, re-checks that each recipient can
 * still read the thread, and writes the rows; nothing here touches I/O or the clock.
 */

import type { NotificationKind } from '@praxis/contracts/notification-kinds';

// The catalogue of kinds lives in @praxis/contracts (notification-kinds.ts); re-exported for the domain's users.
export { isNotificationKind, notificationKinds, type NotificationKind } from '@praxis/contracts/notification-kinds';

export type WatchLevel = 'watching' | 'tracking' | 'normal' | 'muted';

export type EmailPreference = 'away' | 'always' | 'never';

/**
 * Per-user watch levels relevant to one thread; a user absent from a map has no row (the default).
 * The caller loads only rows for this thread, its community, and the thread's own tags.
 */
export interface ThreadWatchLevels {
  thread: ReadonlyMap<number, WatchLevel>;
  community: ReadonlyMap<number, WatchLevel>;
  /** userId → the levels of that user's watches on any of the thread's tags (combined by `combineTagLevels`). */
  tags: ReadonlyMap<number, readonly WatchLevel[]>;
}

export interface PlannedNotification {
  userId: number;
  kind: NotificationKind;
  /** Unique per recipient with (user_id, dedupe_key), so a retried job writes nothing twice. */
  dedupeKey: string;
  /** For logs: why this user hears about it. */
  reason: string;
}

/** 'actor': whoever caused the event (the post's author, the one who accepted) never hears of it. */
export type SkipReason = 'actor' | 'muted_thread' | 'muted_community' | 'muted_tag';

export interface SkippedRecipient {
  userId: number;
  reason: SkipReason;
}

/** Every candidate appears once, either in `notify` (in priority order) or in `skipped`. */
export interface NotificationPlan {
  notify: PlannedNotification[];
  skipped: SkippedRecipient[];
}

export interface PostNotificationInput {
  post: {
    id: number;
    authorId: number;
    /** Author of the post this one replies to, if any. */
    replyToAuthorId: number | null;
    /** Mentioned usernames (parseMentions lowercases them); matched case-insensitively, unknown ones ignored. */
    mentions: readonly string[];
  };
  thread: { authorId: number | null };
  /** True for the opening post of a new thread, false for a reply. */
  isNewThread: boolean;
  /** Lowercased username → id, for the mentioned users that exist. */
  users: ReadonlyMap<string, number>;
  watchLevels: ThreadWatchLevels;
}

export interface SolvedNotificationInput {
  thread: { id: number; authorId: number | null };
  solutionPost: { id: number; authorId: number | null };
  acceptedBy: number;
  watchLevels: ThreadWatchLevels;
}

// ---- Watch levels -----------------------------------------------------------

type WatchSource = 'thread' | 'author' | 'community' | 'tag' | 'default';

interface ResolvedWatch {
  level: WatchLevel;
  source: WatchSource;
}

const LEVEL_STRENGTH: Record<WatchLevel, number> = { muted: 3, watching: 2, tracking: 1, normal: 0 };

/**
 * One level for a user over several tags: any muted tag mutes the thread (muting is the explicit
 * "never", and a thread-level watch still overrides it); otherwise the strongest level wins.
 */
export function combineTagLevels(levels: Iterable<WatchLevel>): WatchLevel {
  let combined: WatchLevel = 'normal';
  for (const level of levels) if (LEVEL_STRENGTH[level] > LEVEL_STRENGTH[combined]) combined = level;
  return combined;
}

/**
 * Precedence: an explicit thread setting, then the thread author's implicit 'watching' (Discourse
 * stores it as a thread-level row), then community and tag settings, where a mute on either wins.
 * So a thread-level choice always beats the community and tags around it.
 */
function resolveWatch(userId: number, threadAuthorId: number | null, levels: ThreadWatchLevels): ResolvedWatch {
  const explicit = levels.thread.get(userId);
  if (explicit !== undefined) return { level: explicit, source: 'thread' };
  if (userId === threadAuthorId) return { level: 'watching', source: 'author' };
  const community = levels.community.get(userId) ?? 'normal';
  const tag = combineTagLevels(levels.tags.get(userId) ?? []);
  if (community === 'muted') return { level: 'muted', source: 'community' };
  if (tag === 'muted') return { level: 'muted', source: 'tag' };
  if (community === 'watching') return { level: 'watching', source: 'community' };
  if (tag === 'watching') return { level: 'watching', source: 'tag' };
  return { level: 'normal', source: 'default' };
}

const WATCH_REASON: Record<WatchSource, string> = {
  thread: 'watching the thread',
  author: 'author of the thread',
  community: 'watching the community',
  tag: 'watching a tag',
  default: 'default level',
};

const MUTE_REASON: Record<WatchSource, SkipReason> = {
  thread: 'muted_thread',
  author: 'muted_thread',
  community: 'muted_community',
  tag: 'muted_tag',
  default: 'muted_thread',
};

// ---- Planning ---------------------------------------------------------------

interface Candidate {
  userId: number;
  kind: NotificationKind;
  reason: string;
}

type Resolve = (userId: number) => ResolvedWatch;

function muteReason(watch: ResolvedWatch): SkipReason | undefined {
  return watch.level === 'muted' ? MUTE_REASON[watch.source] : undefined;
}

/**
 * Walks candidates in priority order; the first claim on a user wins and later ones are dropped
 * (Discourse's `notified` list), so a mentioned thread author gets one 'mention', not two.
 */
function buildPlan(candidates: Iterable<Candidate>, actorId: number, dedupeKey: string, resolve: Resolve): NotificationPlan {
  const plan: NotificationPlan = { notify: [], skipped: [] };
  const seen = new Set<number>();
  for (const { userId, kind, reason } of candidates) {
    if (seen.has(userId)) continue;
    seen.add(userId);
    const skip = userId === actorId ? 'actor' : muteReason(resolve(userId));
    if (skip !== undefined) plan.skipped.push({ userId, reason: skip });
    else plan.notify.push({ userId, kind, dedupeKey, reason });
  }
  return plan;
}

const byId = (a: number, b: number): number => a - b;

/** Explicit thread watchers plus the thread's author unless they chose a level; id order keeps plans stable. */
function threadWatchers(levels: ThreadWatchLevels, threadAuthorId: number | null): number[] {
  const ids = [...levels.thread].filter(([, level]) => level === 'watching').map(([id]) => id);
  if (threadAuthorId !== null && !levels.thread.has(threadAuthorId)) ids.push(threadAuthorId);
  return ids.sort(byId);
}

/** Users watching the thread's community or one of its tags, before mutes and thread settings apply. */
function containerWatchers(levels: ThreadWatchLevels): number[] {
  const ids = new Set<number>();
  for (const [id, level] of levels.community) if (level === 'watching') ids.add(id);
  for (const [id, tagLevels] of levels.tags) if (tagLevels.includes('watching')) ids.add(id);
  return [...ids].sort(byId);
}

function* mentionCandidates(mentions: readonly string[], users: ReadonlyMap<string, number>): Generator<Candidate> {
  for (const raw of mentions) {
    const username = raw.toLowerCase();
    const userId = users.get(username);
    if (userId !== undefined) yield { userId, kind: 'mention', reason: `mentioned as @${username}` };
  }
}

function* newThreadWatcherCandidates(levels: ThreadWatchLevels, resolve: Resolve): Generator<Candidate> {
  for (const userId of containerWatchers(levels)) {
    const watch = resolve(userId);
    // Muted ones go through too, so the plan records why they were skipped.
    if (watch.level === 'watching' || watch.level === 'muted') {
      yield { userId, kind: 'watched_thread_created', reason: WATCH_REASON[watch.source] };
    }
  }
}

function* replyWatcherCandidates(input: PostNotificationInput): Generator<Candidate> {
  const { thread, watchLevels } = input;
  if (thread.authorId !== null) {
    yield { userId: thread.authorId, kind: 'reply_to_thread', reason: 'reply in their thread' };
  }
  // Only a thread-level 'watching' hears every reply; watching a community or tag announces new threads.
  for (const userId of threadWatchers(watchLevels, thread.authorId)) {
    yield { userId, kind: 'watched_thread_reply', reason: 'watching the thread' };
  }
}

function* postCandidates(input: PostNotificationInput, resolve: Resolve): Generator<Candidate> {
  yield* mentionCandidates(input.post.mentions, input.users);
  if (input.post.replyToAuthorId !== null) {
    yield { userId: input.post.replyToAuthorId, kind: 'reply_to_post', reason: 'replied to their post' };
  }
  if (input.isNewThread) yield* newThreadWatcherCandidates(input.watchLevels, resolve);
  else yield* replyWatcherCandidates(input);
}

const resolverFor =
  (threadAuthorId: number | null, levels: ThreadWatchLevels): Resolve =>
  (userId) =>
    resolveWatch(userId, threadAuthorId, levels);

/** Who hears about a new post (the opening post of a new thread, or a reply), in priority order. */
export function planPostNotifications(input: PostNotificationInput): NotificationPlan {
  const resolve = resolverFor(input.thread.authorId, input.watchLevels);
  return buildPlan(postCandidates(input, resolve), input.post.authorId, postDedupeKey(input.post.id), resolve);
}

function* solvedCandidates(input: SolvedNotificationInput): Generator<Candidate> {
  const { solutionPost, thread, watchLevels } = input;
  if (solutionPost.authorId !== null) {
    yield { userId: solutionPost.authorId, kind: 'thread_solved', reason: 'their answer was accepted' };
  }
  for (const userId of threadWatchers(watchLevels, thread.authorId)) {
    yield { userId, kind: 'thread_solved', reason: 'watching the thread' };
  }
}

/** Who hears that a thread was solved: the solution's author first, then the thread's watchers. */
export function planSolvedNotifications(input: SolvedNotificationInput): NotificationPlan {
  const resolve = resolverFor(input.thread.authorId, input.watchLevels);
  const key = solvedDedupeKey(input.thread.id, input.solutionPost.id);
  return buildPlan(solvedCandidates(input), input.acceptedBy, key, resolve);
}

/** One notification per recipient per post, whatever the kind. */
export const postDedupeKey = (postId: number): string => `post:${postId}`;

/** Keyed by the post too: accepting a different answer later is news, re-accepting the same one is not. */
export const solvedDedupeKey = (threadId: number, postId: number): string => `solved:${threadId}:${postId}`;

// ---- Email ------------------------------------------------------------------

export interface EmailNowInput {
  preference: EmailPreference;
  /** Kinds (and 'digest') the user unsubscribed from by email link. */
  mutedKinds: readonly string[];
  kind: NotificationKind;
  lastSeenAt: Date | null;
  now: Date;
  /** How long without being seen before an 'away' user gets emails. */
  awayAfterMs: number;
}

/** Whether one notification should be emailed now rather than only shown in the app. */
export function shouldEmailNow(input: EmailNowInput): boolean {
  if (input.preference === 'never' || input.mutedKinds.includes(input.kind)) return false;
  if (input.preference === 'always') return true;
  // Never seen counts as away: the address is the only way to reach them.
  if (input.lastSeenAt === null) return true;
  return input.now.getTime() - input.lastSeenAt.getTime() >= input.awayAfterMs;
}
