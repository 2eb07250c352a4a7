import type { GuideRef } from './guides/guides.js';
import type { CommunityRef, PostRef, ThreadRef, UserRef, Viewer } from './viewer.js';

/** One member asked to answer one question (an expert_matches row). */
export interface MatchRef {
  expertId: number;
  thread: ThreadRef;
}

/** Suspending someone: site staff anywhere; a community's leaders and moderators only from that community's review queue. */
export interface SuspendRef {
  user: UserRef;
  /** The community whose post led to it (the review queue), or null for a site-wide suspension from a profile. */
  community: CommunityRef | null;
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
  /** Guides: curate answers into a draft (leaders and moderators of the community). */
  'guide.create': CommunityRef;
  'guide.read': GuideRef;
  'guide.edit': GuideRef;
  'guide.submit': GuideRef;
  /** Publish: a second leader or moderator, unless the community allows self-publish. */
  'guide.approve': GuideRef;
  'guide.verify': GuideRef;
  'guide.restore': GuideRef;
  /** The community health dashboard and its CSV (leaders, moderators, admins). */
  'community.health.view': CommunityRef;
  // Moderation, people and trust.
  'post.flag': PostRef;
  /** See the community's review queue (flags and held posts). */
  'community.review': CommunityRef;
  /** Resolve a post's flags: approve, hide, delete, suspend its author, dismiss. */
  'post.review': PostRef;
  /** Approve a held first post. */
  'post.approve': PostRef;
  'thread.lock': ThreadRef;
  /** Checked on the thread where it is and again on the thread as it would be in the destination. */
  'thread.move': ThreadRef;
  'thread.retag': ThreadRef;
  'user.suspend': SuspendRef;
  'user.unsuspend': SuspendRef;
  /** Change someone's site role (member, moderator, admin). */
  'user.role.assign': UserRef;
  /** Make members leaders or moderators of a community. */
  'community.role.assign': CommunityRef;
  'community.audit': CommunityRef;
  'site.audit': null;
  'trust.edit': null;
  'community.charter.history': CommunityRef;
}

export type Action = keyof ActionResources;
export type ResourceFor<A extends Action> = ActionResources[A];

type Rule<R> = (viewer: Viewer | null, resource: R) => boolean;

// Building blocks.

const isActive = (v: Viewer | null): boolean => v !== null && !v.suspended;

const isStaff = (v: Viewer | null): boolean => v !== null && (v.role === 'moderator' || v.role === 'admin');

const isMember = (v: Viewer | null, c: CommunityRef): boolean => v?.memberships.has(c.id) ?? false;

const isCommunityModerator = (v: Viewer | null, c: CommunityRef): boolean => {
  if (isStaff(v)) return true;
  const role = v?.memberships.get(c.id);
  return role === 'leader' || role === 'moderator';
};

const isAuthor = (v: Viewer | null, authorId: number | null): boolean => v !== null && authorId !== null && authorId === v.id;

const isLocked = (t: ThreadRef): boolean => t.status === 'locked';

// One predicate per action.

const createCommunity: Rule<null> = (v) => isActive(v) && v?.role === 'admin';

const operateSite: Rule<null> = (v) => isActive(v) && v?.role === 'admin';

const readCommunity: Rule<CommunityRef> = (v, c) => c.visibility === 'public' || isMember(v, c) || isStaff(v);

const editCommunity: Rule<CommunityRef> = (v, c) => isActive(v) && isCommunityModerator(v, c) && readCommunity(v, c);

const joinCommunity: Rule<CommunityRef> = (v, c) => isActive(v) && readCommunity(v, c) && !isMember(v, c) && c.visibility === 'public';

// Suspended users may still leave.
const leaveCommunity: Rule<CommunityRef> = (v, c) => isMember(v, c);

const createThread: Rule<CommunityRef> = (v, c) => isActive(v) && (isMember(v, c) || isStaff(v)) && readCommunity(v, c);

// A held thread (its opening post awaits approval) is seen by its author and the community's moderators only.
const readThread: Rule<ThreadRef> = (v, t) =>
  readCommunity(v, t.community) && (!t.held || isAuthor(v, t.authorId) || isCommunityModerator(v, t.community));

const replyThread: Rule<ThreadRef> = (v, t) =>
  isActive(v) && readThread(v, t) && (isMember(v, t.community) || isStaff(v)) && (!isLocked(t) || isCommunityModerator(v, t.community));

const acceptAnswer: Rule<ThreadRef> = (v, t) =>
  isActive(v) &&
  readThread(v, t) &&
  t.kind === 'question' &&
  !isLocked(t) &&
  (isAuthor(v, t.authorId) || isCommunityModerator(v, t.community));

const moderateThread: Rule<ThreadRef> = (v, t) => isActive(v) && isCommunityModerator(v, t.community);

// Deleted posts stay readable as tombstones; the API blanks their body.
const readPost: Rule<PostRef> = (v, p) =>
  readThread(v, p.thread) && ((!p.hidden && !p.held) || isAuthor(v, p.authorId) || isCommunityModerator(v, p.thread.community));

const editPost: Rule<PostRef> = (v, p) =>
  isActive(v) &&
  readPost(v, p) &&
  !p.deleted &&
  ((isAuthor(v, p.authorId) && !isLocked(p.thread)) || isCommunityModerator(v, p.thread.community));

const hidePost: Rule<PostRef> = (v, p) => isActive(v) && isCommunityModerator(v, p.thread.community) && !p.deleted;

// readPost keeps authors who lost access to a private community from deleting there.
const deletePost: Rule<PostRef> = (v, p) =>
  isActive(v) &&
  !p.deleted &&
  readPost(v, p) &&
  (isCommunityModerator(v, p.thread.community) || (isAuthor(v, p.authorId) && !p.isFirst && !isLocked(p.thread)));

const votePost: Rule<PostRef> = (v, p) =>
  isActive(v) && readPost(v, p) && !p.deleted && !p.hidden && !p.held && !isAuthor(v, p.authorId) && !isLocked(p.thread);

const postHistory: Rule<PostRef> = (v, p) => readPost(v, p) && (!p.hidden || isCommunityModerator(v, p.thread.community));

// Suspended members may still opt out of matching and decline.
const editExpertise: Rule<null> = (v) => v !== null;

const listMatches: Rule<null> = (v) => v !== null;

const declineMatch: Rule<MatchRef> = (v, m) => v !== null && v.id === m.expertId && readThread(v, m.thread);

const viewAskedExperts: Rule<ThreadRef> = (v, t) => readThread(v, t) && (isAuthor(v, t.authorId) || isCommunityModerator(v, t.community));

const viewAllMatches: Rule<ThreadRef> = (v, t) => readThread(v, t) && isCommunityModerator(v, t.community);

const editMatchingSettings: Rule<CommunityRef> = (v, c) => editCommunity(v, c);

// Guides. Drafts and guides in review are for the community's leaders/moderators (and staff) and their creator.
const createGuide: Rule<CommunityRef> = (v, c) => isActive(v) && readCommunity(v, c) && isCommunityModerator(v, c);

const readGuide: Rule<GuideRef> = (v, g) =>
  readCommunity(v, g.community) && (g.status === 'published' || isCommunityModerator(v, g.community) || isAuthor(v, g.createdBy));

// The owner keeps the guide fresh, so they may update it too.
const editGuide: Rule<GuideRef> = (v, g) =>
  isActive(v) && readGuide(v, g) && (isCommunityModerator(v, g.community) || (g.status === 'published' && isAuthor(v, g.ownerId)));

const submitGuide: Rule<GuideRef> = (v, g) => isActive(v) && readGuide(v, g) && isCommunityModerator(v, g.community);

const approveGuide: Rule<GuideRef> = (v, g) =>
  isActive(v) &&
  readGuide(v, g) &&
  isCommunityModerator(v, g.community) &&
  (g.community.guideSelfPublish || (!isAuthor(v, g.createdBy) && !isAuthor(v, g.submittedBy)));

const verifyGuide: Rule<GuideRef> = (v, g) =>
  isActive(v) && readGuide(v, g) && (isAuthor(v, g.ownerId) || isCommunityModerator(v, g.community));

// Moderation, people and trust.

const isAdmin = (v: Viewer | null): boolean => v?.role === 'admin';

const flagPost: Rule<PostRef> = (v, p) => isActive(v) && readPost(v, p) && !isAuthor(v, p.authorId) && !p.deleted && !p.held;

const reviewQueue: Rule<CommunityRef> = (v, c) => isActive(v) && isCommunityModerator(v, c) && readCommunity(v, c);

const reviewPost: Rule<PostRef> = (v, p) => isActive(v) && isCommunityModerator(v, p.thread.community) && readPost(v, p) && !p.deleted;

const approvePost: Rule<PostRef> = (v, p) => reviewPost(v, p) && p.held === true;

// Staff suspend members anywhere (admins also moderators); a leader only from their community's queue, and only plain members; nobody themselves.
const suspendUser: Rule<SuspendRef> = (v, s) =>
  isActive(v) &&
  v?.id !== s.user.id &&
  s.user.role !== 'admin' &&
  (isAdmin(v) || (s.user.role === 'member' && (isStaff(v) || (s.community !== null && isCommunityModerator(v, s.community)))));

const unsuspendUser: Rule<SuspendRef> = (v, s) =>
  isActive(v) && isStaff(v) && v?.id !== s.user.id && (isAdmin(v) || s.user.role === 'member');

// Admins only, and not their own role (so the last admin cannot demote themselves by accident).
const assignSiteRole: Rule<UserRef> = (v, u) => isActive(v) && isAdmin(v) && v?.id !== u.id;

const assignCommunityRole: Rule<CommunityRef> = (v) => isActive(v) && isAdmin(v);

const viewCommunityAudit: Rule<CommunityRef> = (v, c) => readCommunity(v, c) && isCommunityModerator(v, c);

const viewSiteAudit: Rule<null> = (v) => isAdmin(v);

const editTrust: Rule<null> = (v) => isActive(v) && isAdmin(v);

const charterHistory: Rule<CommunityRef> = (v, c) => readCommunity(v, c);

// Read-only: a suspended leader still sees how their community is doing.
const viewCommunityHealth: Rule<CommunityRef> = (v, c) => readCommunity(v, c) && isCommunityModerator(v, c);

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
  'community.health.view': viewCommunityHealth,
  'post.flag': flagPost,
  'community.review': reviewQueue,
  'post.review': reviewPost,
  'post.approve': approvePost,
  'thread.lock': moderateThread,
  'thread.move': moderateThread,
  'thread.retag': moderateThread,
  'user.suspend': suspendUser,
  'user.unsuspend': unsuspendUser,
  'user.role.assign': assignSiteRole,
  'community.role.assign': assignCommunityRole,
  'community.audit': viewCommunityAudit,
  'site.audit': viewSiteAudit,
  'trust.edit': editTrust,
  'community.charter.history': charterHistory,
  'guide.create': createGuide,
  'guide.read': readGuide,
  'guide.edit': editGuide,
  'guide.submit': submitGuide,
  'guide.approve': approveGuide,
  'guide.verify': verifyGuide,
  'guide.restore': editGuide,
};

/** The single authorization check. `viewer` is null for anonymous visitors. */
export function can<A extends Action>(viewer: Viewer | null, action: A, resource: ResourceFor<A>): boolean {
  const rule: Rule<ResourceFor<A>> = rules[action];
  return rule(viewer, resource);
}
