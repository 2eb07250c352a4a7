import { describe, expect, it } from 'vitest';
import { can, type Action, type MatchRef, type ResourceFor, type SuspendRef } from './policy.js';
import type { GuideRef } from './guides/guides.js';
import type { CommunityRef, MembershipRole, PostRef, ThreadRef, UserRef, Viewer } from './viewer.js';

// ---- Personas (the columns of every table below) -------------------------

const PUB: CommunityRef = { id: 1, visibility: 'public' };
const PRIV: CommunityRef = { id: 2, visibility: 'private' };
const ELSEWHERE = 3;
const SOMEONE_ELSE = 999;

function persona(id: number, memberships: [number, MembershipRole][], extra: Partial<Viewer> = {}): Viewer {
  return { id, role: 'member', trustLevel: 2, suspended: false, memberships: new Map(memberships), ...extra };
}

const PERSONAS = ['anonymous', 'suspended', 'newcomer', 'member', 'leader', 'moderator', 'admin', 'nonMemberOfPrivate'] as const;
type Persona = (typeof PERSONAS)[number];

const viewers: Record<Persona, Viewer | null> = {
  anonymous: null,
  suspended: persona(10, [[PUB.id, 'member']], { suspended: true }),
  newcomer: persona(11, [[PUB.id, 'member']], { trustLevel: 0 }),
  member: persona(12, [
    [PUB.id, 'member'],
    [PRIV.id, 'member'],
  ]),
  leader: persona(13, [[PUB.id, 'leader']]),
  moderator: persona(14, [], { role: 'moderator' }),
  admin: persona(15, [], { role: 'admin' }),
  nonMemberOfPrivate: persona(16, [[ELSEWHERE, 'member']]),
};

// ---- Resources (the rows). "own" means authored by the viewer being checked. -

type Fixture<R> = (viewer: Viewer | null) => R;
const own = (v: Viewer | null): number | null => v?.id ?? null;

const communities = {
  public: () => PUB,
  private: () => PRIV,
} satisfies Record<string, Fixture<CommunityRef>>;

function thread(community: CommunityRef, t: Partial<ThreadRef>): ThreadRef {
  return { id: 100, authorId: SOMEONE_ELSE, kind: 'question', status: 'open', community, ...t };
}

const threads = {
  openQuestion: () => thread(PUB, {}),
  solvedQuestion: () => thread(PUB, { status: 'solved' }),
  ownQuestion: (v) => thread(PUB, { authorId: own(v) }),
  lockedOwnQuestion: (v) => thread(PUB, { authorId: own(v), status: 'locked' }),
  ownDiscussion: (v) => thread(PUB, { authorId: own(v), kind: 'discussion' }),
  privQuestion: () => thread(PRIV, {}),
  privOwnQuestion: (v) => thread(PRIV, { authorId: own(v) }),
} satisfies Record<string, Fixture<ThreadRef>>;

const openDiscussion = thread(PUB, { kind: 'discussion' });
const lockedDiscussion = thread(PUB, { kind: 'discussion', status: 'locked' });
const privDiscussion = thread(PRIV, { kind: 'discussion' });

function post(t: ThreadRef, p: Partial<PostRef>): PostRef {
  return { id: 500, authorId: SOMEONE_ELSE, isFirst: false, hidden: false, deleted: false, thread: t, ...p };
}

const posts = {
  othersPost: () => post(openDiscussion, {}),
  ownPost: (v) => post(openDiscussion, { authorId: own(v) }),
  hiddenOthers: () => post(openDiscussion, { hidden: true }),
  hiddenOwn: (v) => post(openDiscussion, { authorId: own(v), hidden: true }),
  deletedOthers: () => post(openDiscussion, { deleted: true }),
  firstOwn: (v) => post(openDiscussion, { authorId: own(v), isFirst: true }),
  lockedOwn: (v) => post(lockedDiscussion, { authorId: own(v) }),
  lockedOthers: () => post(lockedDiscussion, {}),
  privOthers: () => post(privDiscussion, {}),
  privOwn: (v) => post(privDiscussion, { authorId: own(v) }),
} satisfies Record<string, Fixture<PostRef>>;

const matches = {
  ownMatch: (v) => ({ expertId: v?.id ?? -1, thread: threads.openQuestion() }),
  othersMatch: () => ({ expertId: SOMEONE_ELSE, thread: threads.openQuestion() }),
  ownMatchInPrivate: (v) => ({ expertId: v?.id ?? -1, thread: threads.privQuestion() }),
} satisfies Record<string, Fixture<MatchRef>>;

function guide(community: CommunityRef, g: Partial<GuideRef> & { selfPublish?: boolean }): GuideRef {
  const { selfPublish = false, ...rest } = g;
  return {
    id: 700,
    status: 'published',
    createdBy: SOMEONE_ELSE,
    submittedBy: SOMEONE_ELSE,
    ownerId: SOMEONE_ELSE,
    community: { ...community, guideSelfPublish: selfPublish },
    ...rest,
  };
}

const guides = {
  draft: () => guide(PUB, { status: 'draft', submittedBy: null }),
  ownDraft: (v) => guide(PUB, { status: 'draft', createdBy: own(v), submittedBy: null }),
  inReview: () => guide(PUB, { status: 'in_review' }),
  ownInReview: (v) => guide(PUB, { status: 'in_review', createdBy: own(v), submittedBy: own(v) }),
  ownInReviewSelfPublish: (v) => guide(PUB, { status: 'in_review', createdBy: own(v), submittedBy: own(v), selfPublish: true }),
  published: () => guide(PUB, {}),
  ownedPublished: (v) => guide(PUB, { ownerId: own(v) }),
  privPublished: () => guide(PRIV, {}),
  privDraft: () => guide(PRIV, { status: 'draft' }),
} satisfies Record<string, Fixture<GuideRef>>;

// ---- Expectations ----------------------------------------------------------

type Row = readonly [boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean];
const Y = true;
const N = false;

/** Actions whose resource is R; Record<ActionOn<R>, …> makes each table list all of them. */
type ActionOn<R> = { [A in Action]: ResourceFor<A> extends R ? A : never }[Action];

// prettier-ignore
const communityCreate: Row =
  //  anon susp newb memb lead mod  admin nonMemberOfPrivate
     [N,   N,   N,   N,   N,   N,   Y,    N];

// prettier-ignore
const siteOperate: Row =
  //  anon susp newb memb lead mod  admin nonMemberOfPrivate
     [N,   N,   N,   N,   N,   N,   Y,    N];

// prettier-ignore
const signedIn: Row =
  //  anon susp newb memb lead mod  admin nonMemberOfPrivate
     [N,   Y,   Y,   Y,   Y,   Y,   Y,    Y];

// prettier-ignore
const communityTable: Record<ActionOn<CommunityRef>, Record<keyof typeof communities, Row>> = {
  //                 anon susp newb memb lead mod  admin nonMemberOfPrivate
  'community.read':  {
    public:         [Y,   Y,   Y,   Y,   Y,   Y,   Y,    Y],
    private:        [N,   N,   N,   Y,   N,   Y,   Y,    N],
  },
  'community.edit':  {
    public:         [N,   N,   N,   N,   Y,   Y,   Y,    N],
    private:        [N,   N,   N,   N,   N,   Y,   Y,    N],
  },
  'community.join':  {
    public:         [N,   N,   N,   N,   N,   Y,   Y,    Y],
    private:        [N,   N,   N,   N,   N,   N,   N,    N],
  },
  'community.leave': {
    public:         [N,   Y,   Y,   Y,   Y,   N,   N,    N],
    private:        [N,   N,   N,   Y,   N,   N,   N,    N],
  },
  'thread.create':   {
    public:         [N,   N,   Y,   Y,   Y,   Y,   Y,    N],
    private:        [N,   N,   N,   Y,   N,   Y,   Y,    N],
  },
  'community.matching.edit': {
    public:         [N,   N,   N,   N,   Y,   Y,   Y,    N],
    private:        [N,   N,   N,   N,   N,   Y,   Y,    N],
  },
  'community.review': {
    public:         [N,   N,   N,   N,   Y,   Y,   Y,    N],
    private:        [N,   N,   N,   N,   N,   Y,   Y,    N],
  },
  'community.role.assign': {
    public:         [N,   N,   N,   N,   N,   N,   Y,    N],
    private:        [N,   N,   N,   N,   N,   N,   Y,    N],
  },
  'community.audit': {
    public:         [N,   N,   N,   N,   Y,   Y,   Y,    N],
    private:        [N,   N,   N,   N,   N,   Y,   Y,    N],
  },
  'community.charter.history': {
    public:         [Y,   Y,   Y,   Y,   Y,   Y,   Y,    Y],
    private:        [N,   N,   N,   Y,   N,   Y,   Y,    N],
  },
  'guide.create': {
    public:         [N,   N,   N,   N,   Y,   Y,   Y,    N],
    private:        [N,   N,   N,   N,   N,   Y,   Y,    N],
  },
  'community.health.view': {
    public:         [N,   N,   N,   N,   Y,   Y,   Y,    N],
    private:        [N,   N,   N,   N,   N,   Y,   Y,    N],
  },
};

// prettier-ignore
const threadTable: Record<ActionOn<ThreadRef>, Record<keyof typeof threads, Row>> = {
  //                   anon susp newb memb lead mod  admin nonMemberOfPrivate
  'thread.read': {
    openQuestion:      [Y,   Y,   Y,   Y,   Y,   Y,   Y,    Y],
    solvedQuestion:    [Y,   Y,   Y,   Y,   Y,   Y,   Y,    Y],
    ownQuestion:       [Y,   Y,   Y,   Y,   Y,   Y,   Y,    Y],
    lockedOwnQuestion: [Y,   Y,   Y,   Y,   Y,   Y,   Y,    Y],
    ownDiscussion:     [Y,   Y,   Y,   Y,   Y,   Y,   Y,    Y],
    privQuestion:      [N,   N,   N,   Y,   N,   Y,   Y,    N],
    privOwnQuestion:   [N,   N,   N,   Y,   N,   Y,   Y,    N],
  },
  'thread.reply': {
    openQuestion:      [N,   N,   Y,   Y,   Y,   Y,   Y,    N],
    solvedQuestion:    [N,   N,   Y,   Y,   Y,   Y,   Y,    N],
    ownQuestion:       [N,   N,   Y,   Y,   Y,   Y,   Y,    N],
    lockedOwnQuestion: [N,   N,   N,   N,   Y,   Y,   Y,    N],
    ownDiscussion:     [N,   N,   Y,   Y,   Y,   Y,   Y,    N],
    privQuestion:      [N,   N,   N,   Y,   N,   Y,   Y,    N],
    privOwnQuestion:   [N,   N,   N,   Y,   N,   Y,   Y,    N],
  },
  'thread.accept': {
    openQuestion:      [N,   N,   N,   N,   Y,   Y,   Y,    N],
    solvedQuestion:    [N,   N,   N,   N,   Y,   Y,   Y,    N],
    ownQuestion:       [N,   N,   Y,   Y,   Y,   Y,   Y,    Y],
    lockedOwnQuestion: [N,   N,   N,   N,   N,   N,   N,    N],
    ownDiscussion:     [N,   N,   N,   N,   N,   N,   N,    N],
    privQuestion:      [N,   N,   N,   N,   N,   Y,   Y,    N],
    privOwnQuestion:   [N,   N,   N,   Y,   N,   Y,   Y,    N],
  },
  'thread.moderate': {
    openQuestion:      [N,   N,   N,   N,   Y,   Y,   Y,    N],
    solvedQuestion:    [N,   N,   N,   N,   Y,   Y,   Y,    N],
    ownQuestion:       [N,   N,   N,   N,   Y,   Y,   Y,    N],
    lockedOwnQuestion: [N,   N,   N,   N,   Y,   Y,   Y,    N],
    ownDiscussion:     [N,   N,   N,   N,   Y,   Y,   Y,    N],
    privQuestion:      [N,   N,   N,   N,   N,   Y,   Y,    N],
    privOwnQuestion:   [N,   N,   N,   N,   N,   Y,   Y,    N],
  },
  'thread.lock': {
    openQuestion:      [N,   N,   N,   N,   Y,   Y,   Y,    N],
    solvedQuestion:    [N,   N,   N,   N,   Y,   Y,   Y,    N],
    ownQuestion:       [N,   N,   N,   N,   Y,   Y,   Y,    N],
    lockedOwnQuestion: [N,   N,   N,   N,   Y,   Y,   Y,    N],
    ownDiscussion:     [N,   N,   N,   N,   Y,   Y,   Y,    N],
    privQuestion:      [N,   N,   N,   N,   N,   Y,   Y,    N],
    privOwnQuestion:   [N,   N,   N,   N,   N,   Y,   Y,    N],
  },
  'thread.move': {
    openQuestion:      [N,   N,   N,   N,   Y,   Y,   Y,    N],
    solvedQuestion:    [N,   N,   N,   N,   Y,   Y,   Y,    N],
    ownQuestion:       [N,   N,   N,   N,   Y,   Y,   Y,    N],
    lockedOwnQuestion: [N,   N,   N,   N,   Y,   Y,   Y,    N],
    ownDiscussion:     [N,   N,   N,   N,   Y,   Y,   Y,    N],
    privQuestion:      [N,   N,   N,   N,   N,   Y,   Y,    N],
    privOwnQuestion:   [N,   N,   N,   N,   N,   Y,   Y,    N],
  },
  'thread.retag': {
    openQuestion:      [N,   N,   N,   N,   Y,   Y,   Y,    N],
    solvedQuestion:    [N,   N,   N,   N,   Y,   Y,   Y,    N],
    ownQuestion:       [N,   N,   N,   N,   Y,   Y,   Y,    N],
    lockedOwnQuestion: [N,   N,   N,   N,   Y,   Y,   Y,    N],
    ownDiscussion:     [N,   N,   N,   N,   Y,   Y,   Y,    N],
    privQuestion:      [N,   N,   N,   N,   N,   Y,   Y,    N],
    privOwnQuestion:   [N,   N,   N,   N,   N,   Y,   Y,    N],
  },
  'thread.match.view-asked': {
    openQuestion:      [N,   N,   N,   N,   Y,   Y,   Y,    N],
    solvedQuestion:    [N,   N,   N,   N,   Y,   Y,   Y,    N],
    ownQuestion:       [N,   Y,   Y,   Y,   Y,   Y,   Y,    Y],
    lockedOwnQuestion: [N,   Y,   Y,   Y,   Y,   Y,   Y,    Y],
    ownDiscussion:     [N,   Y,   Y,   Y,   Y,   Y,   Y,    Y],
    privQuestion:      [N,   N,   N,   N,   N,   Y,   Y,    N],
    privOwnQuestion:   [N,   N,   N,   Y,   N,   Y,   Y,    N],
  },
  'thread.match.view-all': {
    openQuestion:      [N,   N,   N,   N,   Y,   Y,   Y,    N],
    solvedQuestion:    [N,   N,   N,   N,   Y,   Y,   Y,    N],
    ownQuestion:       [N,   N,   N,   N,   Y,   Y,   Y,    N],
    lockedOwnQuestion: [N,   N,   N,   N,   Y,   Y,   Y,    N],
    ownDiscussion:     [N,   N,   N,   N,   Y,   Y,   Y,    N],
    privQuestion:      [N,   N,   N,   N,   N,   Y,   Y,    N],
    privOwnQuestion:   [N,   N,   N,   N,   N,   Y,   Y,    N],
  },
};

// prettier-ignore
const matchTable: Record<ActionOn<MatchRef>, Record<keyof typeof matches, Row>> = {
  //                   anon susp newb memb lead mod  admin nonMemberOfPrivate
  'match.decline': {
    ownMatch:          [N,   Y,   Y,   Y,   Y,   Y,   Y,    Y],
    othersMatch:       [N,   N,   N,   N,   N,   N,   N,    N],
    ownMatchInPrivate: [N,   N,   N,   Y,   N,   Y,   Y,    N],
  },
};

// prettier-ignore
const postTable: Record<ActionOn<PostRef>, Record<keyof typeof posts, Row>> = {
  //               anon susp newb memb lead mod  admin nonMemberOfPrivate
  'post.read': {
    othersPost:    [Y,   Y,   Y,   Y,   Y,   Y,   Y,    Y],
    ownPost:       [Y,   Y,   Y,   Y,   Y,   Y,   Y,    Y],
    hiddenOthers:  [N,   N,   N,   N,   Y,   Y,   Y,    N],
    hiddenOwn:     [N,   Y,   Y,   Y,   Y,   Y,   Y,    Y],
    deletedOthers: [Y,   Y,   Y,   Y,   Y,   Y,   Y,    Y],
    firstOwn:      [Y,   Y,   Y,   Y,   Y,   Y,   Y,    Y],
    lockedOwn:     [Y,   Y,   Y,   Y,   Y,   Y,   Y,    Y],
    lockedOthers:  [Y,   Y,   Y,   Y,   Y,   Y,   Y,    Y],
    privOthers:    [N,   N,   N,   Y,   N,   Y,   Y,    N],
    privOwn:       [N,   N,   N,   Y,   N,   Y,   Y,    N],
  },
  'post.edit': {
    othersPost:    [N,   N,   N,   N,   Y,   Y,   Y,    N],
    ownPost:       [N,   N,   Y,   Y,   Y,   Y,   Y,    Y],
    hiddenOthers:  [N,   N,   N,   N,   Y,   Y,   Y,    N],
    hiddenOwn:     [N,   N,   Y,   Y,   Y,   Y,   Y,    Y],
    deletedOthers: [N,   N,   N,   N,   N,   N,   N,    N],
    firstOwn:      [N,   N,   Y,   Y,   Y,   Y,   Y,    Y],
    lockedOwn:     [N,   N,   N,   N,   Y,   Y,   Y,    N],
    lockedOthers:  [N,   N,   N,   N,   Y,   Y,   Y,    N],
    privOthers:    [N,   N,   N,   N,   N,   Y,   Y,    N],
    privOwn:       [N,   N,   N,   Y,   N,   Y,   Y,    N],
  },
  'post.hide': {
    othersPost:    [N,   N,   N,   N,   Y,   Y,   Y,    N],
    ownPost:       [N,   N,   N,   N,   Y,   Y,   Y,    N],
    hiddenOthers:  [N,   N,   N,   N,   Y,   Y,   Y,    N],
    hiddenOwn:     [N,   N,   N,   N,   Y,   Y,   Y,    N],
    deletedOthers: [N,   N,   N,   N,   N,   N,   N,    N],
    firstOwn:      [N,   N,   N,   N,   Y,   Y,   Y,    N],
    lockedOwn:     [N,   N,   N,   N,   Y,   Y,   Y,    N],
    lockedOthers:  [N,   N,   N,   N,   Y,   Y,   Y,    N],
    privOthers:    [N,   N,   N,   N,   N,   Y,   Y,    N],
    privOwn:       [N,   N,   N,   N,   N,   Y,   Y,    N],
  },
  'post.delete': {
    othersPost:    [N,   N,   N,   N,   Y,   Y,   Y,    N],
    ownPost:       [N,   N,   Y,   Y,   Y,   Y,   Y,    Y],
    hiddenOthers:  [N,   N,   N,   N,   Y,   Y,   Y,    N],
    hiddenOwn:     [N,   N,   Y,   Y,   Y,   Y,   Y,    Y],
    deletedOthers: [N,   N,   N,   N,   N,   N,   N,    N],
    firstOwn:      [N,   N,   N,   N,   Y,   Y,   Y,    N],
    lockedOwn:     [N,   N,   N,   N,   Y,   Y,   Y,    N],
    lockedOthers:  [N,   N,   N,   N,   Y,   Y,   Y,    N],
    privOthers:    [N,   N,   N,   N,   N,   Y,   Y,    N],
    privOwn:       [N,   N,   N,   Y,   N,   Y,   Y,    N],
  },
  'post.vote': {
    othersPost:    [N,   N,   Y,   Y,   Y,   Y,   Y,    Y],
    ownPost:       [N,   N,   N,   N,   N,   N,   N,    N],
    hiddenOthers:  [N,   N,   N,   N,   N,   N,   N,    N],
    hiddenOwn:     [N,   N,   N,   N,   N,   N,   N,    N],
    deletedOthers: [N,   N,   N,   N,   N,   N,   N,    N],
    firstOwn:      [N,   N,   N,   N,   N,   N,   N,    N],
    lockedOwn:     [N,   N,   N,   N,   N,   N,   N,    N],
    lockedOthers:  [N,   N,   N,   N,   N,   N,   N,    N],
    privOthers:    [N,   N,   N,   Y,   N,   Y,   Y,    N],
    privOwn:       [N,   N,   N,   N,   N,   N,   N,    N],
  },
  'post.flag': {
    othersPost:    [N,   N,   Y,   Y,   Y,   Y,   Y,    Y],
    ownPost:       [N,   N,   N,   N,   N,   N,   N,    N],
    hiddenOthers:  [N,   N,   N,   N,   Y,   Y,   Y,    N],
    hiddenOwn:     [N,   N,   N,   N,   N,   N,   N,    N],
    deletedOthers: [N,   N,   N,   N,   N,   N,   N,    N],
    firstOwn:      [N,   N,   N,   N,   N,   N,   N,    N],
    lockedOwn:     [N,   N,   N,   N,   N,   N,   N,    N],
    lockedOthers:  [N,   N,   Y,   Y,   Y,   Y,   Y,    Y],
    privOthers:    [N,   N,   N,   Y,   N,   Y,   Y,    N],
    privOwn:       [N,   N,   N,   N,   N,   N,   N,    N],
  },
  'post.review': {
    othersPost:    [N,   N,   N,   N,   Y,   Y,   Y,    N],
    ownPost:       [N,   N,   N,   N,   Y,   Y,   Y,    N],
    hiddenOthers:  [N,   N,   N,   N,   Y,   Y,   Y,    N],
    hiddenOwn:     [N,   N,   N,   N,   Y,   Y,   Y,    N],
    deletedOthers: [N,   N,   N,   N,   N,   N,   N,    N],
    firstOwn:      [N,   N,   N,   N,   Y,   Y,   Y,    N],
    lockedOwn:     [N,   N,   N,   N,   Y,   Y,   Y,    N],
    lockedOthers:  [N,   N,   N,   N,   Y,   Y,   Y,    N],
    privOthers:    [N,   N,   N,   N,   N,   Y,   Y,    N],
    privOwn:       [N,   N,   N,   N,   N,   Y,   Y,    N],
  },
  'post.approve': {
    othersPost:    [N,   N,   N,   N,   N,   N,   N,    N],
    ownPost:       [N,   N,   N,   N,   N,   N,   N,    N],
    hiddenOthers:  [N,   N,   N,   N,   N,   N,   N,    N],
    hiddenOwn:     [N,   N,   N,   N,   N,   N,   N,    N],
    deletedOthers: [N,   N,   N,   N,   N,   N,   N,    N],
    firstOwn:      [N,   N,   N,   N,   N,   N,   N,    N],
    lockedOwn:     [N,   N,   N,   N,   N,   N,   N,    N],
    lockedOthers:  [N,   N,   N,   N,   N,   N,   N,    N],
    privOthers:    [N,   N,   N,   N,   N,   N,   N,    N],
    privOwn:       [N,   N,   N,   N,   N,   N,   N,    N],
  },
  'post.history': {
    othersPost:    [Y,   Y,   Y,   Y,   Y,   Y,   Y,    Y],
    ownPost:       [Y,   Y,   Y,   Y,   Y,   Y,   Y,    Y],
    hiddenOthers:  [N,   N,   N,   N,   Y,   Y,   Y,    N],
    hiddenOwn:     [N,   N,   N,   N,   Y,   Y,   Y,    N],
    deletedOthers: [Y,   Y,   Y,   Y,   Y,   Y,   Y,    Y],
    firstOwn:      [Y,   Y,   Y,   Y,   Y,   Y,   Y,    Y],
    lockedOwn:     [Y,   Y,   Y,   Y,   Y,   Y,   Y,    Y],
    lockedOthers:  [Y,   Y,   Y,   Y,   Y,   Y,   Y,    Y],
    privOthers:    [N,   N,   N,   Y,   N,   Y,   Y,    N],
    privOwn:       [N,   N,   N,   Y,   N,   Y,   Y,    N],
  },
};

// prettier-ignore
const guideModerators: Record<keyof typeof guides, Row> = {
  //                      anon susp newb memb lead mod  admin nonMemberOfPrivate
  draft:                  [N,   N,   N,   N,   Y,   Y,   Y,    N],
  ownDraft:               [N,   N,   N,   N,   Y,   Y,   Y,    N],
  inReview:               [N,   N,   N,   N,   Y,   Y,   Y,    N],
  ownInReview:            [N,   N,   N,   N,   Y,   Y,   Y,    N],
  ownInReviewSelfPublish: [N,   N,   N,   N,   Y,   Y,   Y,    N],
  published:              [N,   N,   N,   N,   Y,   Y,   Y,    N],
  ownedPublished:         [N,   N,   N,   N,   Y,   Y,   Y,    N],
  privPublished:          [N,   N,   N,   N,   N,   Y,   Y,    N],
  privDraft:              [N,   N,   N,   N,   N,   Y,   Y,    N],
};
// prettier-ignore
const guideEdit: Record<keyof typeof guides, Row> = {
  ...guideModerators,
  //                      anon susp newb memb lead mod  admin nonMemberOfPrivate
  ownedPublished:         [N,   N,   Y,   Y,   Y,   Y,   Y,    Y], // the owner keeps it fresh
};

// prettier-ignore
const guideTable: Record<ActionOn<GuideRef>, Record<keyof typeof guides, Row>> = {
  //                        anon susp newb memb lead mod  admin nonMemberOfPrivate
  'guide.read': {
    draft:                  [N,   N,   N,   N,   Y,   Y,   Y,    N],
    ownDraft:               [N,   Y,   Y,   Y,   Y,   Y,   Y,    Y],
    inReview:               [N,   N,   N,   N,   Y,   Y,   Y,    N],
    ownInReview:            [N,   Y,   Y,   Y,   Y,   Y,   Y,    Y],
    ownInReviewSelfPublish: [N,   Y,   Y,   Y,   Y,   Y,   Y,    Y],
    published:              [Y,   Y,   Y,   Y,   Y,   Y,   Y,    Y],
    ownedPublished:         [Y,   Y,   Y,   Y,   Y,   Y,   Y,    Y],
    privPublished:          [N,   N,   N,   Y,   N,   Y,   Y,    N],
    privDraft:              [N,   N,   N,   N,   N,   Y,   Y,    N],
  },
  'guide.edit': guideEdit,
  'guide.restore': guideEdit,
  'guide.submit': guideModerators,
  'guide.approve': {
    //                      anon susp newb memb lead mod  admin nonMemberOfPrivate
    ...guideModerators,
    ownDraft:               [N,   N,   N,   N,   N,   N,   N,    N],
    ownInReview:            [N,   N,   N,   N,   N,   N,   N,    N],
  },
  'guide.verify': guideEdit,
};

// Held first posts (waiting for a moderator's approval), against every post action.
const heldPosts = {
  heldOthers: () => post(openDiscussion, { held: true, isFirst: true }),
  heldOwn: (v) => post(openDiscussion, { authorId: own(v), held: true }),
} satisfies Record<string, Fixture<PostRef>>;

// prettier-ignore
const heldPostTable: Record<ActionOn<PostRef>, Record<keyof typeof heldPosts, Row>> = {
  //                anon susp newb memb lead mod admin nonMemberOfPrivate
  'post.read':    { heldOthers: [N, N, N, N, Y, Y, Y, N], heldOwn: [N, Y, Y, Y, Y, Y, Y, Y] },
  'post.edit':    { heldOthers: [N, N, N, N, Y, Y, Y, N], heldOwn: [N, N, Y, Y, Y, Y, Y, Y] },
  'post.hide':    { heldOthers: [N, N, N, N, Y, Y, Y, N], heldOwn: [N, N, N, N, Y, Y, Y, N] },
  'post.delete':  { heldOthers: [N, N, N, N, Y, Y, Y, N], heldOwn: [N, N, Y, Y, Y, Y, Y, Y] },
  'post.vote':    { heldOthers: [N, N, N, N, N, N, N, N], heldOwn: [N, N, N, N, N, N, N, N] },
  'post.history': { heldOthers: [N, N, N, N, Y, Y, Y, N], heldOwn: [N, Y, Y, Y, Y, Y, Y, Y] },
  'post.flag':    { heldOthers: [N, N, N, N, N, N, N, N], heldOwn: [N, N, N, N, N, N, N, N] },
  'post.review':  { heldOthers: [N, N, N, N, Y, Y, Y, N], heldOwn: [N, N, N, N, Y, Y, Y, N] },
  'post.approve': { heldOthers: [N, N, N, N, Y, Y, Y, N], heldOwn: [N, N, N, N, Y, Y, Y, N] },
};

// People: suspensions (from a profile, or from a community's review queue) and site roles.
const plainMember: UserRef = { id: SOMEONE_ELSE, role: 'member' };
const self = (v: Viewer | null): UserRef => ({ id: v?.id ?? -1, role: v?.role ?? 'member' });
const suspensions = {
  memberFromProfile: () => ({ user: plainMember, community: null }),
  memberFromPubQueue: () => ({ user: plainMember, community: PUB }),
  memberFromPrivQueue: () => ({ user: plainMember, community: PRIV }),
  moderatorFromProfile: () => ({ user: { id: SOMEONE_ELSE, role: 'moderator' as const }, community: null }),
  adminFromProfile: () => ({ user: { id: SOMEONE_ELSE, role: 'admin' as const }, community: null }),
  selfFromPubQueue: (v) => ({ user: self(v), community: PUB }),
} satisfies Record<string, Fixture<SuspendRef>>;

// prettier-ignore
const suspendTable: Record<ActionOn<SuspendRef>, Record<keyof typeof suspensions, Row>> = {
  //                      anon susp newb memb lead mod  admin nonMemberOfPrivate
  'user.suspend': {
    memberFromProfile:    [N,   N,   N,   N,   N,   Y,   Y,    N],
    memberFromPubQueue:   [N,   N,   N,   N,   Y,   Y,   Y,    N],
    memberFromPrivQueue:  [N,   N,   N,   N,   N,   Y,   Y,    N],
    moderatorFromProfile: [N,   N,   N,   N,   N,   N,   Y,    N],
    adminFromProfile:     [N,   N,   N,   N,   N,   N,   N,    N],
    selfFromPubQueue:     [N,   N,   N,   N,   N,   N,   N,    N],
  },
  'user.unsuspend': {
    memberFromProfile:    [N,   N,   N,   N,   N,   Y,   Y,    N],
    memberFromPubQueue:   [N,   N,   N,   N,   N,   Y,   Y,    N],
    memberFromPrivQueue:  [N,   N,   N,   N,   N,   Y,   Y,    N],
    moderatorFromProfile: [N,   N,   N,   N,   N,   N,   Y,    N],
    adminFromProfile:     [N,   N,   N,   N,   N,   N,   Y,    N],
    selfFromPubQueue:     [N,   N,   N,   N,   N,   N,   N,    N],
  },
};

const people = {
  someoneElse: () => plainMember,
  self: (v) => self(v),
} satisfies Record<string, Fixture<UserRef>>;

// prettier-ignore
const peopleTable: Record<ActionOn<UserRef>, Record<keyof typeof people, Row>> = {
  //                 anon susp newb memb lead mod  admin nonMemberOfPrivate
  'user.role.assign': {
    someoneElse:    [N,   N,   N,   N,   N,   N,   Y,    N],
    self:           [N,   N,   N,   N,   N,   N,   N,    N],
  },
};

// prettier-ignore
const adminOnly: Row =
  //  anon susp newb memb lead mod  admin nonMemberOfPrivate
     [N,   N,   N,   N,   N,   N,   Y,    N];

/** Held posts: the same post actions again, on posts that wait for approval (no new actions). */
const heldCases = (): Case[] => expand(heldPostTable, heldPosts);

// Compile-time guard: the tables above cover every action.
type Tabled =
  | 'community.create'
  | 'site.operate'
  | 'expertise.edit'
  | 'match.list'
  | ActionOn<CommunityRef>
  | ActionOn<ThreadRef>
  | ActionOn<PostRef>
  | ActionOn<MatchRef>
  | ActionOn<GuideRef>
  | 'site.audit'
  | 'trust.edit'
  | ActionOn<SuspendRef>
  | ActionOn<UserRef>;
const everyActionTabled: [Exclude<Action, Tabled>] extends [never] ? true : false = true;

// ---- Running the tables ------------------------------------------------------

interface Case {
  action: Action;
  resource: string;
  persona: Persona;
  expected: boolean;
  check: (viewer: Viewer | null) => boolean;
}

function expand<A extends Action, L extends string>(
  table: Record<A, Record<L, Row>>,
  fixtures: Record<L, Fixture<ResourceFor<A>>>,
): Case[] {
  const out: Case[] = [];
  for (const action of Object.keys(table) as A[]) {
    for (const [resource, row] of Object.entries(table[action]) as [L, Row][]) {
      PERSONAS.forEach((persona, column) => {
        out.push({
          action,
          resource,
          persona,
          expected: row[column] as boolean,
          check: (v) => can(v, action, fixtures[resource](v)),
        });
      });
    }
  }
  return out;
}

const cases: Case[] = [
  ...expand(
    {
      'community.create': { none: communityCreate },
      'site.operate': { none: siteOperate },
      'expertise.edit': { none: signedIn },
      'match.list': { none: signedIn },
    },
    { none: () => null },
  ),
  ...expand(communityTable, communities),
  ...expand(threadTable, threads),
  ...expand(postTable, posts),
  ...expand(matchTable, matches),
  ...expand({ 'site.audit': { none: adminOnly }, 'trust.edit': { none: adminOnly } }, { none: () => null }),
  ...expand(suspendTable, suspensions),
  ...expand(peopleTable, people),
  ...expand(guideTable, guides),
];

describe('can()', () => {
  it('tables cover every action for every persona', () => {
    expect(everyActionTabled).toBe(true);
    const seen = new Set(cases.map((c) => `${c.action}/${c.persona}`));
    const actions = new Set(cases.map((c) => c.action));
    expect(actions.size).toBe(23 + 7 + 1 + 15);
    expect(seen.size).toBe((23 + 7 + 1 + 15) * PERSONAS.length);
  });

  it.each(cases)('$action on $resource as $persona → $expected', ({ persona, expected, check }) => {
    expect(check(viewers[persona])).toBe(expected);
  });

  it.each(cases.filter((c) => c.persona === 'leader'))(
    "a community 'moderator' membership acts like a leader: $action on $resource",
    ({ expected, check }) => {
      expect(check(persona(20, [[PUB.id, 'moderator']]))).toBe(expected);
    },
  );

  it.each(heldCases())('held post: $action on $resource as $persona → $expected', ({ persona, expected, check }) => {
    expect(check(viewers[persona])).toBe(expected);
  });

  it('a held thread is seen by its author and the community’s moderators only', () => {
    const held = (v: Viewer | null) => thread(PUB, { held: true, authorId: v === viewers.member ? (v?.id ?? null) : SOMEONE_ELSE });
    const readers = PERSONAS.filter((p) => can(viewers[p], 'thread.read', held(viewers[p])));
    expect(readers).toEqual(['member', 'leader', 'moderator', 'admin']);
    expect(can(viewers.newcomer, 'thread.reply', held(viewers.newcomer))).toBe(false);
  });

  it('a suspended admin can no longer suspend, assign roles, edit trust or work the queue', () => {
    const suspendedAdmin = persona(23, [], { role: 'admin', suspended: true });
    expect(can(suspendedAdmin, 'user.suspend', suspensions.memberFromProfile())).toBe(false);
    expect(can(suspendedAdmin, 'user.role.assign', plainMember)).toBe(false);
    expect(can(suspendedAdmin, 'trust.edit', null)).toBe(false);
    expect(can(suspendedAdmin, 'community.review', PUB)).toBe(false);
    expect(can(suspendedAdmin, 'site.audit', null)).toBe(true);
  });

  it('a suspended admin cannot create communities but can still read', () => {
    const suspendedAdmin = persona(21, [], { role: 'admin', suspended: true });
    expect(can(suspendedAdmin, 'community.create', null)).toBe(false);
    expect(can(suspendedAdmin, 'site.operate', null)).toBe(false);
    expect(can(suspendedAdmin, 'community.read', PRIV)).toBe(true);
    expect(can(suspendedAdmin, 'thread.moderate', threads.openQuestion())).toBe(false);
    expect(can(suspendedAdmin, 'community.matching.edit', PUB)).toBe(false);
    // Health is read-only: a suspended admin or leader still sees it.
    expect(can(suspendedAdmin, 'community.health.view', PRIV)).toBe(true);
    expect(can(persona(23, [[PUB.id, 'leader']], { suspended: true }), 'community.health.view', PUB)).toBe(true);
    expect(can(suspendedAdmin, 'thread.match.view-all', threads.openQuestion())).toBe(true);
  });

  it('a post whose author account is gone (authorId null) is nobody’s own', () => {
    const orphan = post(openDiscussion, { authorId: null, hidden: true });
    expect(can(null, 'post.read', orphan)).toBe(false);
    expect(can(viewers.member, 'post.edit', { ...orphan, hidden: false })).toBe(false);
  });

  it('a private-community leader moderates there but not in a public community they do not lead', () => {
    const privLeader = persona(22, [[PRIV.id, 'leader']]);
    expect(can(privLeader, 'community.edit', PRIV)).toBe(true);
    expect(can(privLeader, 'post.hide', posts.privOthers())).toBe(true);
    expect(can(privLeader, 'post.hide', posts.othersPost())).toBe(false);
    expect(can(privLeader, 'community.edit', PUB)).toBe(false);
    expect(can(privLeader, 'community.review', PUB)).toBe(false);
    expect(can(privLeader, 'community.audit', PUB)).toBe(false);
    expect(can(privLeader, 'thread.lock', threads.openQuestion())).toBe(false);
    expect(can(privLeader, 'post.review', posts.othersPost())).toBe(false);
    expect(can(privLeader, 'user.suspend', suspensions.memberFromPubQueue())).toBe(false);
    expect(can(privLeader, 'user.suspend', suspensions.memberFromPrivQueue())).toBe(true);
  });
});
