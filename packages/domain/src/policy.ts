import type { CommunityRef, PostRef, ThreadRef, Viewer } from './viewer.js';

/** One member asked to answer one question (an expert_matches row). */
export interface MatchRef {
  expertId: number;
  thread: ThreadRef;
}

/** Every action the policy knows, and the resource it is checked against. */
export interface ActionResources {
  'community.create': null;
  /** Operate the site: the pipeline's dead letters, search rebuilds. */
  'site.operate': null;
  'community.read': CommunityRef;
  'community.edit': CommunityRef;
  'community.join': CommunityRef;
  'community.leave': CommunityRef;
  'thread.create': CommunityRef;
  'thread.read': ThreadRef;
  'thread.reply': ThreadRef;
  'thread.accept': ThreadRef;
  'thread.moderate': ThreadRef;
  'post.read': PostRef;
  'post.edit': PostRef;
  'post.hide': PostRef;
  'post.delete': PostRef;
  'post.vote': PostRef;
  'post.history': PostRef;
  /** Your own expert-matching preferences. */
  'expertise.edit': null;
  /** "Questions for you": the questions you were matched for. */
  'match.list': null;
  'match.decline': MatchRef;
  /** "We asked N members who know about …" on a question. */
  'thread.match.view-asked': ThreadRef;
  /** Every match of a question with its outcome. */
  'thread.match.view-all': ThreadRef;
  'community.matching.edit': CommunityRef;
}

export type Action = keyof ActionResources;
export type ResourceFor<A extends Action> = ActionResources[A];

type Rule<R> = (viewer: Viewer | null, resource: R) => boolean;

// Building blocks.

const isActive = (v: Viewer | null): boolean => v !== null && !v.suspended;

const isStaff = (v: Viewer | null): boolean =>
  v !== null && (v.role === 'moderator' || v.role === 'admin');

const isMember = (v: Viewer | null, c: CommunityRef): boolean =>
  v?.memberships.has(c.id) ?? false;

const isCommunityModerator = (v: Viewer | null, c: CommunityRef): boolean => {
  if (isStaff(v)) return true;
  const role = v?.memberships.get(c.id);
  return role === 'leader' || role === 'moderator';
};

const isAuthor = (v: Viewer | null, authorId: number | null): boolean =>
  v !== null && authorId !== null && authorId === v.id;

const isLocked = (t: ThreadRef): boolean => t.status === 'locked';

// One predicate per action.

const createCommunity: Rule<null> = (v) => isActive(v) && v?.role === 'admin';

const operateSite: Rule<null> = (v) => isActive(v) && v?.role === 'admin';

const readCommunity: Rule<CommunityRef> = (v, c) =>
  c.visibility === 'public' || isMember(v, c) || isStaff(v);

const editCommunity: Rule<CommunityRef> = (v, c) =>
  isActive(v) && isCommunityModerator(v, c) && readCommunity(v, c);

const joinCommunity: Rule<CommunityRef> = (v, c) =>
  isActive(v) && readCommunity(v, c) && !isMember(v, c) && c.visibility === 'public';

// Suspended users may still leave.
const leaveCommunity: Rule<CommunityRef> = (v, c) => isMember(v, c);

const createThread: Rule<CommunityRef> = (v, c) =>
  isActive(v) && (isMember(v, c) || isStaff(v)) && readCommunity(v, c);

const readThread: Rule<ThreadRef> = (v, t) => readCommunity(v, t.community);

const replyThread: Rule<ThreadRef> = (v, t) =>
  isActive(v) &&
  readThread(v, t) &&
  (isMember(v, t.community) || isStaff(v)) &&
  (!isLocked(t) || isCommunityModerator(v, t.community));

const acceptAnswer: Rule<ThreadRef> = (v, t) =>
  isActive(v) &&
  readThread(v, t) &&
  t.kind === 'question' &&
  !isLocked(t) &&
  (isAuthor(v, t.authorId) || isCommunityModerator(v, t.community));

const moderateThread: Rule<ThreadRef> = (v, t) => isActive(v) && isCommunityModerator(v, t.community);

// Deleted posts stay readable as tombstones; the API blanks their body.
const readPost: Rule<PostRef> = (v, p) =>
  readThread(v, p.thread) &&
  (!p.hidden || isAuthor(v, p.authorId) || isCommunityModerator(v, p.thread.community));

const editPost: Rule<PostRef> = (v, p) =>
  isActive(v) &&
  readPost(v, p) &&
  !p.deleted &&
  ((isAuthor(v, p.authorId) && !isLocked(p.thread)) || isCommunityModerator(v, p.thread.community));

const hidePost: Rule<PostRef> = (v, p) =>
  isActive(v) && isCommunityModerator(v, p.thread.community) && !p.deleted;

// readPost keeps authors who lost access to a private community from deleting there.
const deletePost: Rule<PostRef> = (v, p) =>
  isActive(v) &&
  !p.deleted &&
  readPost(v, p) &&
  (isCommunityModerator(v, p.thread.community) ||
    (isAuthor(v, p.authorId) && !p.isFirst && !isLocked(p.thread)));

const votePost: Rule<PostRef> = (v, p) =>
  isActive(v) &&
  readPost(v, p) &&
  !p.deleted &&
  !p.hidden &&
  !isAuthor(v, p.authorId) &&
  !isLocked(p.thread);

const postHistory: Rule<PostRef> = (v, p) =>
  readPost(v, p) && (!p.hidden || isCommunityModerator(v, p.thread.community));

// Suspended members may still opt out of matching and decline.
const editExpertise: Rule<null> = (v) => v !== null;

const listMatches: Rule<null> = (v) => v !== null;

const declineMatch: Rule<MatchRef> = (v, m) => v !== null && v.id === m.expertId && readThread(v, m.thread);

const viewAskedExperts: Rule<ThreadRef> = (v, t) => readThread(v, t) && (isAuthor(v, t.authorId) || isCommunityModerator(v, t.community));

const viewAllMatches: Rule<ThreadRef> = (v, t) => readThread(v, t) && isCommunityModerator(v, t.community);

const editMatchingSettings: Rule<CommunityRef> = (v, c) => editCommunity(v, c);

const rules: { [A in Action]: Rule<ResourceFor<A>> } = {
  'community.create': createCommunity,
  'site.operate': operateSite,
  'community.read': readCommunity,
  'community.edit': editCommunity,
  'community.join': joinCommunity,
  'community.leave': leaveCommunity,
  'thread.create': createThread,
  'thread.read': readThread,
  'thread.reply': replyThread,
  'thread.accept': acceptAnswer,
  'thread.moderate': moderateThread,
  'post.read': readPost,
  'post.edit': editPost,
  'post.hide': hidePost,
  'post.delete': deletePost,
  'post.vote': votePost,
  'post.history': postHistory,
  'expertise.edit': editExpertise,
  'match.list': listMatches,
  'match.decline': declineMatch,
  'thread.match.view-asked': viewAskedExperts,
  'thread.match.view-all': viewAllMatches,
  'community.matching.edit': editMatchingSettings,
};

/** The single authorization check. `viewer` is null for anonymous visitors. */
export function can<A extends Action>(viewer: Viewer | null, action: A, resource: ResourceFor<A>): boolean {
  const rule: Rule<ResourceFor<A>> = rules[action];
  return rule(viewer, resource);
}
