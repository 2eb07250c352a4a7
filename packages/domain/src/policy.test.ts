import { describe, expect, it } from 'vitest';
import { can, type Action, type MatchRef, type ResourceFor } from './policy.js';
import type { CommunityRef, MembershipRole, PostRef, ThreadRef, Viewer } from './viewer.js';

// ---- Personas (the columns of every table below) -------------------------

const PUB: CommunityRef = { id: 1, visibility: 'public' };
const PRIV: CommunityRef = { id: 2, visibility: 'private' };
const ELSEWHERE = 3;
const SOMEONE_ELSE = 999;

function persona(id: number, memberships: [number, MembershipRole][], extra: Partial<Viewer> = {}): Viewer {
  return { id, role: 'member', trustLevel: 2, suspended: false, memberships: new Map(memberships), ...extra };
}

const PERSONAS = [
  'anonymous',
  'suspended',
  'newcomer',
  'member',
  'leader',
  'moderator',
  'admin',
  'nonMemberOfPrivate',
] as const;
type Persona = (typeof PERSONAS)[number];

const viewers: Record<Persona, Viewer | null> = {
  anonymous: null,
  suspended: persona(10, [[PUB.id, 'member']], { suspended: true }),
  newcomer: persona(11, [[PUB.id, 'member']], { trustLevel: 0 }),
  member: persona(12, [[PUB.id, 'member'], [PRIV.id, 'member']]),
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

// Compile-time guard: the tables above cover every action.
type Tabled = 'community.create' | 'site.operate' | 'expertise.edit' | 'match.list' | ActionOn<CommunityRef> | ActionOn<ThreadRef> | ActionOn<PostRef> | ActionOn<MatchRef>;
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
  ...expand({ 'community.create': { none: communityCreate }, 'site.operate': { none: siteOperate }, 'expertise.edit': { none: signedIn }, 'match.list': { none: signedIn } }, { none: () => null }),
  ...expand(communityTable, communities),
  ...expand(threadTable, threads),
  ...expand(postTable, posts),
  ...expand(matchTable, matches),
];

describe('can()', () => {
  it('tables cover every action for every persona', () => {
    expect(everyActionTabled).toBe(true);
    const seen = new Set(cases.map((c) => `${c.action}/${c.persona}`));
    const actions = new Set(cases.map((c) => c.action));
    expect(actions.size).toBe(23);
    expect(seen.size).toBe(23 * PERSONAS.length);
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

  it('a suspended admin cannot create communities but can still read', () => {
    const suspendedAdmin = persona(21, [], { role: 'admin', suspended: true });
    expect(can(suspendedAdmin, 'community.create', null)).toBe(false);
    expect(can(suspendedAdmin, 'site.operate', null)).toBe(false);
    expect(can(suspendedAdmin, 'community.read', PRIV)).toBe(true);
    expect(can(suspendedAdmin, 'thread.moderate', threads.openQuestion())).toBe(false);
    expect(can(suspendedAdmin, 'community.matching.edit', PUB)).toBe(false);
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
  });
});
