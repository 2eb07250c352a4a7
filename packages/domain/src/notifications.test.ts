import { describe, expect, it } from 'vitest';
import {
  combineTagLevels,
  isNotificationKind,
  notificationKinds,
  planPostNotifications,
  planSolvedNotifications,
  shouldEmailNow,
  type EmailNowInput,
  type NotificationPlan,
  type PostNotificationInput,
  type ThreadWatchLevels,
  type WatchLevel,
} from './notifications.js';

// ---- Cast -------------------------------------------------------------------

const ALICE = 1; // the thread's author
const BOB = 2; // writes the new post
const CAROL = 3; // wrote the post being replied to
const DAVE = 4; // gets mentioned
const ERIN = 5; // some other member
const MOD = 9; // a moderator

const POST_ID = 500;
const THREAD_ID = 100;

const USERS = new Map([
  ['alice', ALICE],
  ['bob', BOB],
  ['carol', CAROL],
  ['dave', DAVE],
  ['erin', ERIN],
]);

interface LevelSpec {
  thread?: [number, WatchLevel][];
  community?: [number, WatchLevel][];
  tags?: [number, WatchLevel[]][];
}

const levels = (spec: LevelSpec = {}): ThreadWatchLevels => ({
  thread: new Map(spec.thread ?? []),
  community: new Map(spec.community ?? []),
  tags: new Map(spec.tags ?? []),
});

interface Scenario {
  author?: number;
  threadAuthor?: number | null;
  replyTo?: number | null;
  mentions?: string[];
  watch?: LevelSpec;
}

function postInput(isNewThread: boolean, s: Scenario): PostNotificationInput {
  const author = s.author ?? (isNewThread ? ALICE : BOB);
  return {
    post: { id: POST_ID, authorId: author, replyToAuthorId: s.replyTo ?? null, mentions: s.mentions ?? [] },
    thread: { authorId: s.threadAuthor === undefined ? ALICE : s.threadAuthor },
    isNewThread,
    users: USERS,
    watchLevels: levels(s.watch),
  };
}

/** "user:kind" for notify, "user!reason" for skipped: compact enough for a table. */
const summary = (plan: NotificationPlan): string[] => [
  ...plan.notify.map((n) => `${n.userId}:${n.kind}`),
  ...plan.skipped.map((s) => `${s.userId}!${s.reason}`),
];

// ---- Replies ----------------------------------------------------------------

const replyCases: [string, Scenario, string[]][] = [
  ['a plain reply tells the thread author', {}, [`${ALICE}:reply_to_thread`]],
  [
    'replying to a post tells its author before the thread author',
    { replyTo: CAROL },
    [`${CAROL}:reply_to_post`, `${ALICE}:reply_to_thread`],
  ],
  [
    'a mention comes first',
    { mentions: ['dave'], replyTo: CAROL },
    [`${DAVE}:mention`, `${CAROL}:reply_to_post`, `${ALICE}:reply_to_thread`],
  ],
  ['a mentioned thread author gets one mention, not two', { mentions: ['alice'] }, [`${ALICE}:mention`]],
  [
    'a mentioned post author gets the mention only',
    { mentions: ['carol'], replyTo: CAROL },
    [`${CAROL}:mention`, `${ALICE}:reply_to_thread`],
  ],
  ["replying to the thread author's post is reply_to_post", { replyTo: ALICE }, [`${ALICE}:reply_to_post`]],
  ['repeated mentions notify once', { mentions: ['dave', 'dave', 'DAVE'] }, [`${DAVE}:mention`, `${ALICE}:reply_to_thread`]],
  ['unknown mentioned usernames are ignored', { mentions: ['ghost', 'nobody'] }, [`${ALICE}:reply_to_thread`]],
  ['mentions are matched case-insensitively', { mentions: ['Dave'] }, [`${DAVE}:mention`, `${ALICE}:reply_to_thread`]],
  ['a thread whose author was deleted has no reply_to_thread', { threadAuthor: null }, []],

  // The post's author never hears of their own post.
  ['the thread author replying in their thread', { author: ALICE }, [`${ALICE}!actor`]],
  ['mentioning yourself', { mentions: ['bob'] }, [`${ALICE}:reply_to_thread`, `${BOB}!actor`]],
  ['replying to your own post', { replyTo: BOB }, [`${ALICE}:reply_to_thread`, `${BOB}!actor`]],
  ['the author is skipped even when watching', { watch: { thread: [[BOB, 'watching']] } }, [`${ALICE}:reply_to_thread`, `${BOB}!actor`]],

  // Watch levels on the thread.
  [
    'a thread watcher hears every reply',
    { watch: { thread: [[ERIN, 'watching']] } },
    [`${ALICE}:reply_to_thread`, `${ERIN}:watched_thread_reply`],
  ],
  ['tracking the thread is not enough for a plain reply', { watch: { thread: [[ERIN, 'tracking']] } }, [`${ALICE}:reply_to_thread`]],
  ['normal on the thread is not enough for a plain reply', { watch: { thread: [[ERIN, 'normal']] } }, [`${ALICE}:reply_to_thread`]],
  [
    'tracking still hears a mention',
    { mentions: ['erin'], watch: { thread: [[ERIN, 'tracking']] } },
    [`${ERIN}:mention`, `${ALICE}:reply_to_thread`],
  ],
  [
    'normal still hears a reply to their post',
    { replyTo: ERIN, watch: { thread: [[ERIN, 'normal']] } },
    [`${ERIN}:reply_to_post`, `${ALICE}:reply_to_thread`],
  ],
  [
    'a watcher who is mentioned gets the mention only',
    { mentions: ['erin'], watch: { thread: [[ERIN, 'watching']] } },
    [`${ERIN}:mention`, `${ALICE}:reply_to_thread`],
  ],
  ['the thread author on tracking still hears of replies', { watch: { thread: [[ALICE, 'tracking']] } }, [`${ALICE}:reply_to_thread`]],
  ['watching a community does not announce replies', { watch: { community: [[ERIN, 'watching']] } }, [`${ALICE}:reply_to_thread`]],
  ['watching a tag does not announce replies', { watch: { tags: [[ERIN, ['watching']]] } }, [`${ALICE}:reply_to_thread`]],

  // Mutes.
  [
    'a muted thread silences a mention',
    { mentions: ['dave'], watch: { thread: [[DAVE, 'muted']] } },
    [`${ALICE}:reply_to_thread`, `${DAVE}!muted_thread`],
  ],
  [
    'a muted thread silences a reply to your post',
    { replyTo: CAROL, watch: { thread: [[CAROL, 'muted']] } },
    [`${ALICE}:reply_to_thread`, `${CAROL}!muted_thread`],
  ],
  ['the thread author can mute their own thread', { watch: { thread: [[ALICE, 'muted']] } }, [`${ALICE}!muted_thread`]],
  [
    'a muted community silences a mention',
    { mentions: ['dave'], watch: { community: [[DAVE, 'muted']] } },
    [`${ALICE}:reply_to_thread`, `${DAVE}!muted_community`],
  ],
  [
    'a muted tag silences a mention',
    { mentions: ['dave'], watch: { tags: [[DAVE, ['watching', 'muted']]] } },
    [`${ALICE}:reply_to_thread`, `${DAVE}!muted_tag`],
  ],
  [
    'an explicit thread watch beats a muted community',
    {
      watch: { thread: [[ERIN, 'watching']], community: [[ERIN, 'muted']] },
    },
    [`${ALICE}:reply_to_thread`, `${ERIN}:watched_thread_reply`],
  ],
  [
    'an explicit thread level "normal" beats a muted community',
    {
      mentions: ['dave'],
      watch: { thread: [[DAVE, 'normal']], community: [[DAVE, 'muted']] },
    },
    [`${DAVE}:mention`, `${ALICE}:reply_to_thread`],
  ],
  ["the thread author's default watch beats a muted community", { watch: { community: [[ALICE, 'muted']] } }, [`${ALICE}:reply_to_thread`]],
  [
    'a muted thread beats a watched community',
    { mentions: ['dave'], watch: { thread: [[DAVE, 'muted']], community: [[DAVE, 'watching']] } },
    [`${ALICE}:reply_to_thread`, `${DAVE}!muted_thread`],
  ],
];

describe('planPostNotifications for a reply', () => {
  it.each(replyCases)('%s', (_name, scenario, expected) => {
    expect(summary(planPostNotifications(postInput(false, scenario)))).toEqual(expected);
  });
});

// ---- New threads ------------------------------------------------------------

const newThreadCases: [string, Scenario, string[]][] = [
  ['nobody hears of an unwatched new thread', {}, []],
  ['the author is never told about their own thread', { watch: { community: [[ALICE, 'watching']] } }, [`${ALICE}!actor`]],
  ['a community watcher hears of it', { watch: { community: [[ERIN, 'watching']] } }, [`${ERIN}:watched_thread_created`]],
  ['a tag watcher hears of it', { watch: { tags: [[ERIN, ['normal', 'watching']]] } }, [`${ERIN}:watched_thread_created`]],
  [
    'community and tag watching give one notification',
    {
      watch: { community: [[ERIN, 'watching']], tags: [[ERIN, ['watching']]] },
    },
    [`${ERIN}:watched_thread_created`],
  ],
  ['tracking a community is not enough', { watch: { community: [[ERIN, 'tracking']] } }, []],
  ['tracking a tag is not enough', { watch: { tags: [[ERIN, ['tracking']]] } }, []],
  [
    'a muted community silences a tag watch',
    { watch: { community: [[ERIN, 'muted']], tags: [[ERIN, ['watching']]] } },
    [`${ERIN}!muted_community`],
  ],
  [
    'a muted tag silences a community watch',
    { watch: { community: [[ERIN, 'watching']], tags: [[ERIN, ['muted']]] } },
    [`${ERIN}!muted_tag`],
  ],
  ['one muted tag among watched ones mutes', { watch: { tags: [[ERIN, ['watching', 'muted']]] } }, [`${ERIN}!muted_tag`]],
  ['a thread-level setting beats a community watch', { watch: { thread: [[ERIN, 'normal']], community: [[ERIN, 'watching']] } }, []],
  ['a mention beats a community watch', { mentions: ['erin'], watch: { community: [[ERIN, 'watching']] } }, [`${ERIN}:mention`]],
  [
    'a muted community silences a mention in a new thread',
    { mentions: ['erin'], watch: { community: [[ERIN, 'muted']] } },
    [`${ERIN}!muted_community`],
  ],
  [
    'watchers come in id order',
    {
      watch: {
        community: [
          [ERIN, 'watching'],
          [DAVE, 'watching'],
        ],
        tags: [[CAROL, ['watching']]],
      },
    },
    [`${CAROL}:watched_thread_created`, `${DAVE}:watched_thread_created`, `${ERIN}:watched_thread_created`],
  ],
];

describe('planPostNotifications for a new thread', () => {
  it.each(newThreadCases)('%s', (_name, scenario, expected) => {
    expect(summary(planPostNotifications(postInput(true, scenario)))).toEqual(expected);
  });

  it('never sends reply kinds for the opening post', () => {
    const watch: LevelSpec = { thread: [[ERIN, 'watching']], community: [[DAVE, 'watching']] };
    const plan = planPostNotifications(postInput(true, { mentions: ['carol'], watch }));
    expect(summary(plan)).toEqual([`${CAROL}:mention`, `${DAVE}:watched_thread_created`]);
  });
});

describe('planPostNotifications output', () => {
  const busy = postInput(false, {
    mentions: ['dave', 'alice', 'ghost'],
    replyTo: CAROL,
    watch: {
      thread: [
        [ERIN, 'watching'],
        [DAVE, 'watching'],
        [CAROL, 'muted'],
      ],
      community: [[ERIN, 'muted']],
    },
  });

  it('lists every candidate once, in notify or in skipped', () => {
    const plan = planPostNotifications(busy);
    const ids = [...plan.notify.map((n) => n.userId), ...plan.skipped.map((s) => s.userId)];
    expect(new Set(ids).size).toBe(ids.length);
    expect(summary(plan)).toEqual([`${DAVE}:mention`, `${ALICE}:mention`, `${ERIN}:watched_thread_reply`, `${CAROL}!muted_thread`]);
  });

  it('keys every item by the post, so a retried job writes nothing twice', () => {
    const plan = planPostNotifications(busy);
    expect(new Set(plan.notify.map((n) => n.dedupeKey))).toEqual(new Set([`post:${POST_ID}`]));
  });

  it('is deterministic whatever order the maps were filled in', () => {
    const reversed: PostNotificationInput = {
      ...busy,
      watchLevels: {
        thread: new Map([...busy.watchLevels.thread].reverse()),
        community: new Map([...busy.watchLevels.community].reverse()),
        tags: new Map([...busy.watchLevels.tags].reverse()),
      },
    };
    expect(planPostNotifications(reversed)).toEqual(planPostNotifications(busy));
  });

  it('gives a reason for every item', () => {
    const plan = planPostNotifications(busy);
    expect(plan.notify.map((n) => n.reason)).toEqual(['mentioned as @dave', 'mentioned as @alice', 'watching the thread']);
  });
});

// ---- Solved -----------------------------------------------------------------

interface SolvedScenario {
  acceptedBy?: number;
  solutionAuthor?: number | null;
  threadAuthor?: number | null;
  watch?: LevelSpec;
}

function planSolved(s: SolvedScenario): NotificationPlan {
  return planSolvedNotifications({
    thread: { id: THREAD_ID, authorId: s.threadAuthor === undefined ? ALICE : s.threadAuthor },
    solutionPost: { id: POST_ID, authorId: s.solutionAuthor === undefined ? BOB : s.solutionAuthor },
    acceptedBy: s.acceptedBy ?? ALICE,
    watchLevels: levels(s.watch),
  });
}

const solvedCases: [string, SolvedScenario, string[]][] = [
  ['the asker accepts: the answerer hears, the asker does not', {}, [`${BOB}:thread_solved`, `${ALICE}!actor`]],
  [
    'thread watchers hear too',
    {
      watch: {
        thread: [
          [ERIN, 'watching'],
          [DAVE, 'tracking'],
        ],
      },
    },
    [`${BOB}:thread_solved`, `${ERIN}:thread_solved`, `${ALICE}!actor`],
  ],
  [
    'a moderator accepts: the asker hears through the author default',
    { acceptedBy: MOD },
    [`${BOB}:thread_solved`, `${ALICE}:thread_solved`],
  ],
  [
    'an asker who set the thread to normal is not told by a moderator',
    { acceptedBy: MOD, watch: { thread: [[ALICE, 'normal']] } },
    [`${BOB}:thread_solved`],
  ],
  [
    'a self-answer accepted by its author',
    { solutionAuthor: ALICE, watch: { thread: [[ERIN, 'watching']] } },
    [`${ERIN}:thread_solved`, `${ALICE}!actor`],
  ],
  ['a watching answerer gets one notification', { watch: { thread: [[BOB, 'watching']] } }, [`${BOB}:thread_solved`, `${ALICE}!actor`]],
  ['an answerer who muted the thread is skipped', { watch: { thread: [[BOB, 'muted']] } }, [`${BOB}!muted_thread`, `${ALICE}!actor`]],
  [
    'an answerer who muted the community is skipped',
    { watch: { community: [[BOB, 'muted']] } },
    [`${BOB}!muted_community`, `${ALICE}!actor`],
  ],
  [
    'a deleted answerer: only watchers',
    { solutionAuthor: null, acceptedBy: MOD, watch: { thread: [[ERIN, 'watching']] } },
    [`${ALICE}:thread_solved`, `${ERIN}:thread_solved`],
  ],
  ['community watchers are not told', { watch: { community: [[ERIN, 'watching']] } }, [`${BOB}:thread_solved`, `${ALICE}!actor`]],
];

describe('planSolvedNotifications', () => {
  it.each(solvedCases)('%s', (_name, scenario, expected) => {
    expect(summary(planSolved(scenario))).toEqual(expected);
  });

  it('keys by thread and accepted post', () => {
    const plan = planSolved({ acceptedBy: MOD });
    expect(plan.notify.map((n) => n.dedupeKey)).toEqual([`solved:${THREAD_ID}:${POST_ID}`, `solved:${THREAD_ID}:${POST_ID}`]);
    expect(plan.notify[0]?.reason).toBe('their answer was accepted');
  });
});

// ---- Email ------------------------------------------------------------------

const NOW = new Date('2026-11-23T12:00:00Z');
const MINUTE = 60_000;
const minutesAgo = (m: number): Date => new Date(NOW.getTime() - m * MINUTE);

const emailCases: [string, Partial<EmailNowInput>, boolean][] = [
  ['never: not even when away for ages', { preference: 'never', lastSeenAt: null }, false],
  ['always: even while online', { preference: 'always', lastSeenAt: NOW }, true],
  ['always, but this kind was unsubscribed', { preference: 'always', mutedKinds: ['mention'] }, false],
  ['away: never seen counts as away', { lastSeenAt: null }, true],
  ['away: seen recently', { lastSeenAt: minutesAgo(5) }, false],
  ['away: seen exactly the threshold ago', { lastSeenAt: minutesAgo(10) }, true],
  ['away: seen long ago', { lastSeenAt: minutesAgo(600) }, true],
  ['away, but this kind was unsubscribed', { lastSeenAt: null, mutedKinds: ['mention'] }, false],
  ['unsubscribing from other kinds does not matter', { lastSeenAt: null, mutedKinds: ['digest', 'reply_to_thread'] }, true],
];

describe('shouldEmailNow', () => {
  it.each(emailCases)('%s', (_name, overrides, expected) => {
    const input: EmailNowInput = {
      preference: 'away',
      mutedKinds: [],
      kind: 'mention',
      lastSeenAt: minutesAgo(60),
      now: NOW,
      awayAfterMs: 10 * MINUTE,
      ...overrides,
    };
    expect(shouldEmailNow(input)).toBe(expected);
  });
});

// ---- Catalogue and helpers --------------------------------------------------

describe('notification catalogue', () => {
  it('keeps the kinds in their original order (append-only, same strings as the db)', () => {
    expect(notificationKinds.slice(0, 6)).toEqual([
      'reply_to_thread',
      'reply_to_post',
      'mention',
      'thread_solved',
      'watched_thread_created',
      'watched_thread_reply',
    ]);
  });

  it.each([
    ['mention', true],
    ['thread_solved', true],
    ['digest', false],
    ['', false],
  ])('isNotificationKind(%j) is %s', (value, expected) => {
    expect(isNotificationKind(value)).toBe(expected);
  });
});

describe('combineTagLevels', () => {
  it.each<[WatchLevel[], WatchLevel]>([
    [[], 'normal'],
    [['tracking'], 'tracking'],
    [['normal', 'watching', 'tracking'], 'watching'],
    [['watching', 'muted'], 'muted'],
    [['muted', 'normal'], 'muted'],
  ])('%j → %s', (input, expected) => {
    expect(combineTagLevels(input)).toBe(expected);
  });
});
