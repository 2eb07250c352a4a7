import { Type, type Static } from 'typebox';
import { notificationKinds } from './notification-kinds.js';
import { INT4_MAX, SingleLine } from './text.js';

/** HTTP request and response schemas. The API validates with them and the OpenAPI document is built from them. */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
const Id = Type.Integer({ minimum: 1, maximum: INT4_MAX });

export const MAX_POST_BODY = 60_000;
export const MAX_TAGS = 5;

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details' },
);
export type Problem = Static<typeof Problem>;

export const Role = Type.Union([Type.Literal('member'), Type.Literal('moderator'), Type.Literal('admin')]);
export const MembershipRole = Type.Union([Type.Literal('member'), Type.Literal('leader'), Type.Literal('moderator')]);
export const Visibility = Type.Union([Type.Literal('public'), Type.Literal('private')]);
export const ThreadKind = Type.Union([Type.Literal('question'), Type.Literal('discussion')]);
export const ThreadStatus = Type.Union([Type.Literal('open'), Type.Literal('solved'), Type.Literal('locked')]);
export const ThreadSort = Type.Union([Type.Literal('latest'), Type.Literal('unanswered'), Type.Literal('solved'), Type.Literal('top')]);

export const Username = Type.String({ minLength: 3, maxLength: 30, pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]*$' });
export const Slug = Type.String({ minLength: 2, maxLength: 50, pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$' });
/** Tags are normalized by the API (lowercase, spaces to dashes); this only keeps out what never makes a tag. */
export const TagName = Type.String({ minLength: 1, maxLength: 30, pattern: '^[A-Za-z0-9][A-Za-z0-9+#._ -]*$' });

export const UserSummary = Type.Object({ id: Id, username: Type.String(), displayName: Type.String(), trustLevel: Type.Integer() });
export type UserSummary = Static<typeof UserSummary>;

export const Membership = Type.Object({ communityId: Id, slug: Type.String(), name: Type.String(), role: MembershipRole });

export const Me = Type.Object({
  id: Id,
  username: Type.String(),
  email: Type.String(),
  displayName: Type.String(),
  role: Role,
  trustLevel: Type.Integer(),
  suspendedUntil: Nullable(DateTime),
  createdAt: DateTime,
  memberships: Type.Array(Membership),
});
export type Me = Static<typeof Me>;

export const RegisterBody = Type.Object(
  {
    username: Username,
    email: Type.String({ format: 'email', maxLength: 254 }),
    password: Type.String({ minLength: 10, maxLength: 256 }),
    displayName: Type.Optional(SingleLine({ minLength: 1, maxLength: 60 })),
  },
  { additionalProperties: false },
);
export type RegisterBody = Static<typeof RegisterBody>;

export const LoginBody = Type.Object(
  { login: Type.String({ minLength: 1, maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const AuthResult = Type.Object({ user: Me });

export const TokenScope = Type.Union([Type.Literal('read'), Type.Literal('write'), Type.Literal('admin')], {
  description:
    'read: GET requests and live streams; write: every other method; admin: act with your site role (admins and moderators only). Tokens never manage tokens.',
});
export const TokenCreateBody = Type.Object(
  {
    name: SingleLine({ minLength: 1, maxLength: 80 }),
    scopes: Type.Optional(
      Type.Array(TokenScope, { minItems: 1, maxItems: 3, description: 'Default ["read", "write"]; must include "read"' }),
    ),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650, description: 'Omit for a token that does not expire' })),
  },
  { additionalProperties: false },
);
export const TokenSummary = Type.Object({
  id: Id,
  name: Type.String(),
  scopes: Type.Array(TokenScope),
  createdAt: DateTime,
  expiresAt: Nullable(DateTime),
  lastUsedAt: Nullable(DateTime),
});
export const TokenCreated = Type.Object({
  id: Id,
  name: Type.String(),
  scopes: Type.Array(TokenScope),
  createdAt: DateTime,
  expiresAt: Nullable(DateTime),
  lastUsedAt: Nullable(DateTime),
  token: Type.String({ description: 'Shown once; send as Authorization: Bearer <token>' }),
});
export const LogoutBody = Type.Object(
  { allSessions: Type.Optional(Type.Boolean({ description: 'Sign out of every session of this account, not only this one' })) },
  { additionalProperties: false },
);
export const TokenList = Type.Object({ items: Type.Array(TokenSummary) });
export type TokenCreateBody = Static<typeof TokenCreateBody>;

export const CommunityAbilities = Type.Object({
  edit: Type.Boolean(),
  join: Type.Boolean(),
  leave: Type.Boolean(),
  post: Type.Boolean(),
  health: Type.Boolean({ description: 'may see the health dashboard' }),
  review: Type.Boolean({ description: 'may work the review queue' }),
  audit: Type.Boolean({ description: 'may read the moderation log' }),
});
export const CommunitySummary = Type.Object({
  id: Id,
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  visibility: Visibility,
  memberCount: Type.Integer(),
  threadCount: Type.Integer(),
  viewerRole: Nullable(MembershipRole),
});
export type CommunitySummary = Static<typeof CommunitySummary>;
export const Community = Type.Intersect([
  CommunitySummary,
  Type.Object({
    charter: Type.String(),
    charterHtml: Type.String(),
    charterRevision: Type.Integer({
      description: 'how many times the charter was written (its history: /communities/:slug/charter/revisions)',
    }),
    holdFirstPosts: Type.Boolean(),
    leaders: Type.Array(Type.Intersect([UserSummary, Type.Object({ role: MembershipRole })])),
    tags: Type.Array(Type.Object({ name: Type.String(), threadCount: Type.Integer() }), {
      description: 'the most used tags, most used first',
    }),
    createdAt: DateTime,
    abilities: CommunityAbilities,
  }),
]);
export type Community = Static<typeof Community>;
export const CommunityList = Type.Object({ items: Type.Array(CommunitySummary) });
export const CommunityCreateBody = Type.Object(
  {
    slug: Slug,
    name: SingleLine({ minLength: 2, maxLength: 80 }),
    description: Type.String({ maxLength: 500, default: '' }),
    charter: Type.String({ maxLength: MAX_POST_BODY, default: '' }),
    visibility: Type.Optional(Visibility),
  },
  { additionalProperties: false },
);
export type CommunityCreateBody = Static<typeof CommunityCreateBody>;
export const CommunityUpdateBody = Type.Object(
  {
    name: Type.Optional(SingleLine({ minLength: 2, maxLength: 80 })),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    charter: Type.Optional(Type.String({ maxLength: MAX_POST_BODY })),
    holdFirstPosts: Type.Optional(Type.Boolean({ description: 'hold everyone’s first post here for a moderator’s approval' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type CommunityUpdateBody = Static<typeof CommunityUpdateBody>;
export const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 50 }) });

export const ThreadSummary = Type.Object({
  id: Id,
  community: Type.Object({ id: Id, slug: Type.String(), name: Type.String() }),
  author: Nullable(UserSummary),
  kind: ThreadKind,
  title: Type.String(),
  status: ThreadStatus,
  solved: Type.Boolean(),
  tags: Type.Array(Type.String()),
  replyCount: Type.Integer(),
  score: Type.Integer(),
  excerpt: Type.String(),
  createdAt: DateTime,
  lastActivityAt: DateTime,
});
export type ThreadSummary = Static<typeof ThreadSummary>;
export const ThreadList = Type.Object({ items: Type.Array(ThreadSummary), nextCursor: Nullable(Type.String()) });
export type ThreadList = Static<typeof ThreadList>;
export const ThreadListQuery = Type.Object(
  {
    community: Type.Optional(Type.String({ maxLength: 50 })),
    tag: Type.Optional(Type.String({ maxLength: 30 })),
    author: Type.Optional(Type.String({ maxLength: 30 })),
    sort: Type.Optional(ThreadSort),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  },
  { additionalProperties: false },
);
export type ThreadListQuery = Static<typeof ThreadListQuery>;

export const ThreadCreateBody = Type.Object(
  {
    community: Type.String({ minLength: 1, maxLength: 50, description: 'community slug' }),
    title: SingleLine({ minLength: 8, maxLength: 200 }),
    body: Type.String({ minLength: 1, maxLength: MAX_POST_BODY }),
    tags: Type.Array(TagName, { maxItems: MAX_TAGS, default: [] }),
    kind: Type.Optional(ThreadKind),
  },
  { additionalProperties: false },
);
export type ThreadCreateBody = Static<typeof ThreadCreateBody>;

export const ThreadUpdateBody = Type.Object(
  {
    title: Type.Optional(SingleLine({ minLength: 8, maxLength: 200 })),
    tags: Type.Optional(Type.Array(TagName, { maxItems: MAX_TAGS })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type ThreadUpdateBody = Static<typeof ThreadUpdateBody>;

export const PostAbilities = Type.Object({
  edit: Type.Boolean(),
  hide: Type.Boolean(),
  delete: Type.Boolean(),
  vote: Type.Boolean(),
  accept: Type.Boolean(),
  history: Type.Boolean(),
  flag: Type.Boolean(),
  review: Type.Boolean({ description: 'may resolve its flags or approve it' }),
});
export const Post = Type.Object({
  id: Id,
  threadId: Id,
  number: Type.Integer({ description: '1 for the opening post' }),
  author: Nullable(UserSummary),
  body: Type.String({ description: 'markdown source; empty when hidden or deleted for this viewer' }),
  html: Type.String({ description: 'sanitized HTML rendered from body' }),
  replyToId: Nullable(Id),
  createdAt: DateTime,
  editedAt: Nullable(DateTime),
  revision: Type.Integer(),
  score: Type.Integer(),
  viewerVoted: Type.Boolean(),
  hidden: Type.Boolean(),
  deleted: Type.Boolean(),
  held: Type.Boolean({ description: 'waiting for a moderator’s approval; only its author and the community’s moderators see it' }),
  isSolution: Type.Boolean(),
  abilities: PostAbilities,
});
export type Post = Static<typeof Post>;

export const ThreadAbilities = Type.Object({
  reply: Type.Boolean(),
  accept: Type.Boolean(),
  moderate: Type.Boolean(),
  edit: Type.Boolean({ description: 'may change the title and tags' }),
});
export const ThreadDetail = Type.Intersect([
  ThreadSummary,
  Type.Object({
    solutionPostId: Nullable(Id),
    posts: Type.Array(Post),
    nextCursor: Nullable(Type.String()),
    totalPosts: Type.Integer(),
    abilities: ThreadAbilities,
  }),
]);
export type ThreadDetail = Static<typeof ThreadDetail>;
export const IdParams = Type.Object({ id: Id });
export const ThreadDetailQuery = Type.Object(
  { cursor: Type.Optional(Type.String({ maxLength: 200 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })) },
  { additionalProperties: false },
);

export const PostCreateBody = Type.Object(
  { body: Type.String({ minLength: 1, maxLength: MAX_POST_BODY }), replyToId: Type.Optional(Id) },
  { additionalProperties: false },
);
export type PostCreateBody = Static<typeof PostCreateBody>;
export const PostEditBody = Type.Object(
  { body: Type.String({ minLength: 1, maxLength: MAX_POST_BODY }), reason: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);
export type PostEditBody = Static<typeof PostEditBody>;
export const PostHideBody = Type.Object({ hidden: Type.Boolean() }, { additionalProperties: false });
export const Revision = Type.Object({
  revision: Type.Integer(),
  body: Type.String(),
  html: Type.String(),
  editor: Nullable(UserSummary),
  reason: Nullable(Type.String()),
  createdAt: DateTime,
});
export const RevisionList = Type.Object({ postId: Id, items: Type.Array(Revision) });
export const VoteResult = Type.Object({ postId: Id, score: Type.Integer(), viewerVoted: Type.Boolean() });
export const SolutionBody = Type.Object({ postId: Id }, { additionalProperties: false });
export const SolutionResult = Type.Object({ threadId: Id, solutionPostId: Nullable(Id), status: ThreadStatus });

export const UserParams = Type.Object({ username: Type.String({ minLength: 1, maxLength: 30 }) });
export const AnswerSummary = Type.Object({
  postId: Id,
  thread: Type.Object({ id: Id, title: Type.String(), communitySlug: Type.String() }),
  excerpt: Type.String(),
  score: Type.Integer(),
  isSolution: Type.Boolean(),
  createdAt: DateTime,
});
export const ParticipationLevel = Type.Union([
  Type.Literal('newcomer'),
  Type.Literal('peripheral'),
  Type.Literal('active'),
  Type.Literal('core'),
  Type.Literal('leader'),
]);
export const UserProfile = Type.Object({
  user: Type.Intersect([UserSummary, Type.Object({ createdAt: DateTime, role: Role })]),
  participation: Type.Array(
    Type.Object({ community: Type.Object({ slug: Type.String(), name: Type.String() }), level: ParticipationLevel, since: DateTime }),
    {
      description: 'Participation level in each community you can see, highest first',
    },
  ),
  stats: Type.Object({ questions: Type.Integer(), answers: Type.Integer(), solutions: Type.Integer() }),
  questions: Type.Array(ThreadSummary),
  answers: Type.Array(AnswerSummary),
});
export type UserProfile = Static<typeof UserProfile>;

export const Health = Type.Object({ status: Type.String() });
export const Ok = Type.Object({ ok: Type.Boolean() });

// ---- Search ----
export const SearchQuery = Type.Object(
  {
    q: Type.String({ minLength: 1, maxLength: 200, description: 'Words to find; prefixes and small typos match' }),
    community: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'Community slug' })),
    tag: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
    status: Type.Optional(ThreadStatus),
    cursor: Type.Optional(Type.String({ maxLength: 20, pattern: '^[0-9]+$', description: 'From nextCursor of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
  },
  { additionalProperties: false },
);
export type SearchQuery = Static<typeof SearchQuery>;
export const FacetCount = Type.Object({ value: Type.String(), label: Type.String(), count: Type.Integer() });
export const SearchHit = Type.Object({
  thread: Type.Object({
    id: Id,
    title: Type.String(),
    status: ThreadStatus,
    replyCount: Type.Integer(),
    tags: Type.Array(Type.String()),
    lastActivityAt: DateTime,
  }),
  community: Type.Object({ slug: Type.String(), name: Type.String() }),
  titleHtml: Type.String({ description: 'Escaped title with <mark> around matched words' }),
  snippetHtml: Type.String({ description: 'Escaped excerpt with <mark> around matched words' }),
});
export const SearchResults = Type.Object({
  items: Type.Array(SearchHit),
  total: Type.Integer(),
  nextCursor: Nullable(Type.String()),
  facets: Type.Object({ communities: Type.Array(FacetCount), tags: Type.Array(FacetCount), status: Type.Array(FacetCount) }),
});
export type SearchResults = Static<typeof SearchResults>;
export const SimilarQuery = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 300 }),
    body: Type.Optional(Type.String({ maxLength: 5000 })),
    community: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
  },
  { additionalProperties: false },
);
export const SimilarThreads = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Id,
      title: Type.String(),
      status: ThreadStatus,
      replyCount: Type.Integer(),
      community: Type.Object({ slug: Type.String(), name: Type.String() }),
    }),
  ),
});
export type SimilarThreads = Static<typeof SimilarThreads>;

// ---- Notifications and watching ----
export const WatchLevel = Type.Union([Type.Literal('watching'), Type.Literal('tracking'), Type.Literal('normal'), Type.Literal('muted')]);
export type WatchLevel = Static<typeof WatchLevel>;
export const WatchBody = Type.Object({ level: WatchLevel }, { additionalProperties: false });
export const WatchState = Type.Object({
  level: WatchLevel,
  isDefault: Type.Boolean({ description: 'No explicit choice; this is the default level' }),
});
export const TagParams = Type.Object({
  slug: Type.String({ minLength: 1, maxLength: 50 }),
  tag: Type.String({ minLength: 1, maxLength: 30 }),
});
export const Notification = Type.Object({
  id: Id,
  kind: Type.String({ description: `${notificationKinds.join(', ')} (append-only)` }),
  message: Type.String({ description: 'One line a person can read, e.g. "ada replied to your question"' }),
  thread: Type.Object({ id: Id, title: Type.String() }),
  community: Type.Object({ slug: Type.String(), name: Type.String() }),
  postId: Nullable(Id),
  postNumber: Nullable(Type.Integer()),
  actor: Nullable(UserSummary),
  read: Type.Boolean(),
  createdAt: DateTime,
  reasons: Type.Optional(Type.Array(Type.String(), { description: 'expert_match: why you were asked' })),
  round: Type.Optional(Type.Integer({ description: 'expert_match: the round of the escalation ladder' })),
  guide: Type.Optional(
    Type.Object(
      { id: Id, title: Type.String() },
      { description: 'guide_review, guide_credited: the guide (the thread is its first source)' },
    ),
  ),
});
export type Notification = Static<typeof Notification>;
export const NotificationList = Type.Object({
  items: Type.Array(Notification),
  unreadCount: Type.Integer(),
  nextCursor: Nullable(Type.String()),
});
export type NotificationList = Static<typeof NotificationList>;
export const NotificationListQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ maxLength: 20, pattern: '^[0-9]+$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
    unread: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const UnreadCount = Type.Object({ unreadCount: Type.Integer() });
export const MarkReadBody = Type.Object(
  { ids: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 100 })), threadId: Type.Optional(Id), all: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, description: 'Exactly one of ids, threadId (all of that thread) or all' },
);
export const NotificationSettings = Type.Object({
  emailNotifications: Type.Union([Type.Literal('away'), Type.Literal('always'), Type.Literal('never')], {
    description: 'away: only when you have not been around for a while',
  }),
  emailDigest: Type.Union([Type.Literal('daily'), Type.Literal('never')]),
  emailMutedKinds: Type.Array(Type.String()),
});
export type NotificationSettings = Static<typeof NotificationSettings>;
export const NotificationSettingsBody = Type.Partial(NotificationSettings, { additionalProperties: false });
export const UnsubscribeQuery = Type.Object(
  { token: Type.String({ minLength: 8, maxLength: 100 }), kind: Type.String({ minLength: 1, maxLength: 40 }) },
  { additionalProperties: false },
);

// ---- Admin: pipeline ----
export const DeadLetter = Type.Object({
  id: Id,
  queue: Type.String(),
  jobName: Type.String(),
  jobId: Type.String(),
  error: Type.String(),
  attempts: Type.Integer(),
  failedAt: DateTime,
  retriedAt: Nullable(DateTime),
  retryCount: Type.Integer(),
});
export const DeadLetterList = Type.Object({ items: Type.Array(DeadLetter) });
export const PipelineStatus = Type.Object({
  outbox: Type.Object({ pending: Type.Integer(), oldestPendingAt: Nullable(DateTime) }),
  search: Type.Object({ engine: Type.String(), documents: Type.Integer(), threadsToIndex: Type.Integer() }),
  deadLetters: Type.Integer(),
});

// ---- Expert matching ----
export const MAX_EXPERTISE_TAGS = 20;
export const MatchState = Type.Union([
  Type.Literal('notified'),
  Type.Literal('seen'),
  Type.Literal('declined'),
  Type.Literal('answered'),
  Type.Literal('accepted'),
  Type.Literal('expired'),
]);
export const DeclineReason = Type.Union([Type.Literal('not_my_area'), Type.Literal('no_time')]);
export const MatchingChoice = Type.Union([Type.Literal('in'), Type.Literal('out'), Type.Literal('default')], {
  description: 'default: you are matched once you have answered in the community',
});
const Hour = Type.Integer({ minimum: 0, maximum: 23 });
export const QuietHours = Type.Object(
  { start: Hour, end: Hour },
  { description: 'Local hours [start, end) in your time zone when you are not matched; may wrap midnight (22 → 7)' },
);
const ExpertiseTags = Type.Array(TagName, { maxItems: MAX_EXPERTISE_TAGS });

export const ExpertiseCommunity = Type.Object({
  slug: Type.String(),
  name: Type.String(),
  matching: MatchingChoice,
  effective: Type.Boolean({ description: 'Whether you are matched there at all: opted in, or default and you have answered there' }),
  wantedTags: Type.Array(Type.String()),
  mutedTags: Type.Array(Type.String()),
});
export const ExpertiseSettings = Type.Object({
  weeklyCap: Nullable(Type.Integer({ minimum: 0, maximum: 100, description: 'At most this many matched questions a week; null = no cap' })),
  quietHours: Nullable(QuietHours),
  timeZone: Type.String({ description: 'IANA time zone, e.g. Europe/Berlin' }),
  communities: Type.Array(ExpertiseCommunity, { description: 'Every community you are a member of' }),
});
export type ExpertiseSettings = Static<typeof ExpertiseSettings>;
export const ExpertiseSettingsBody = Type.Object(
  {
    weeklyCap: Nullable(Type.Integer({ minimum: 0, maximum: 100 })),
    quietHours: Nullable(QuietHours),
    timeZone: Type.String({ minLength: 1, maxLength: 64 }),
    communities: Type.Array(
      Type.Object(
        {
          slug: Type.String({ minLength: 1, maxLength: 50 }),
          matching: MatchingChoice,
          wantedTags: Type.Optional(ExpertiseTags),
          mutedTags: Type.Optional(ExpertiseTags),
        },
        { additionalProperties: false },
      ),
      { maxItems: 200, default: [], description: 'Communities to change; those not listed keep their preferences' },
    ),
  },
  { additionalProperties: false },
);
export type ExpertiseSettingsBody = Static<typeof ExpertiseSettingsBody>;

export const MatchedQuestion = Type.Object({
  matchId: Id,
  thread: Type.Object({
    id: Id,
    title: Type.String(),
    community: Type.Object({ slug: Type.String(), name: Type.String() }),
    tags: Type.Array(Type.String()),
    replyCount: Type.Integer(),
    createdAt: DateTime,
  }),
  round: Type.Integer(),
  reasons: Type.Array(Type.String(), { description: 'Why you were asked, one sentence each' }),
  state: MatchState,
  notifiedAt: DateTime,
});
export type MatchedQuestion = Static<typeof MatchedQuestion>;
export const MatchedQuestionList = Type.Object({ items: Type.Array(MatchedQuestion), nextCursor: Nullable(Type.String()) });
export type MatchedQuestionList = Static<typeof MatchedQuestionList>;
export const MatchedQuestionQuery = Type.Object(
  { cursor: Type.Optional(Type.String({ maxLength: 200 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })) },
  { additionalProperties: false },
);

export const DeclineMatchBody = Type.Object({ reason: DeclineReason }, { additionalProperties: false });
export const DeclinedMatch = Type.Object({ matchId: Id, state: MatchState, declineReason: DeclineReason, respondedAt: DateTime });

export const ViewerMatch = Type.Object({
  matchId: Id,
  kind: Type.Union([Type.Literal('expert'), Type.Literal('leader')]),
  round: Type.Integer(),
  reasons: Type.Array(Type.String()),
  state: MatchState,
  notifiedAt: DateTime,
  abilities: Type.Object({ decline: Type.Boolean() }),
});
export const ThreadMatchRow = Type.Object({
  id: Id,
  expert: UserSummary,
  kind: Type.Union([Type.Literal('expert'), Type.Literal('leader')]),
  round: Type.Integer(),
  rank: Type.Integer(),
  score: Type.Integer(),
  reasons: Type.Array(Type.String()),
  state: MatchState,
  declineReason: Nullable(DeclineReason),
  notifiedAt: DateTime,
  respondedAt: Nullable(DateTime),
});
export const ThreadMatching = Type.Object({
  viewerMatch: Nullable(ViewerMatch),
  asked: Type.Union(
    [
      Type.Object({
        count: Type.Integer({ description: 'Members asked as experts' }),
        tags: Type.Array(Type.String()),
        names: Type.Union([Type.Array(Type.Object({ username: Type.String(), displayName: Type.String() })), Type.Null()], {
          description: 'null when the community hides who was asked',
        }),
      }),
      Type.Null(),
    ],
    { description: 'For the asker and the community’s leaders; null when nobody was asked' },
  ),
  matches: Type.Union([Type.Array(ThreadMatchRow), Type.Null()], {
    description: 'Every match with its outcome; only for the community’s leaders and moderators',
  }),
});
export type ThreadMatching = Static<typeof ThreadMatching>;

export const MatchingSettings = Type.Object({
  expertsPerRound: Type.Integer({ minimum: 1, maximum: 10 }),
  rounds: Type.Integer({ minimum: 1, maximum: 5, description: 'Rounds of experts before the leaders are asked' }),
  escalateMinutes: Type.Integer({ minimum: 1, maximum: 10080, description: 'A round without an answer escalates after this long' }),
  newcomerEscalateMinutes: Type.Integer({ minimum: 1, maximum: 10080, description: 'The same for a newcomer’s question' }),
  matchQuestions: Type.Union([Type.Literal('all'), Type.Literal('newcomers')], {
    description: 'newcomers: only newcomers’ questions are matched',
  }),
  showExpertNames: Type.Boolean({ description: 'Whether the asker sees who was asked' }),
});
export type MatchingSettings = Static<typeof MatchingSettings>;
export const MatchingModelSummary = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  trainedAt: DateTime,
  setting: Type.String({
    description: 'The loss and L2, chosen on the past questions just before the held-out ones, e.g. "linear listwise, L2 0.1"',
  }),
  inUse: Type.Boolean({ description: 'The matcher uses it: it beat the weighted score on the held-out questions' }),
  trainingQuestions: Type.Integer({ minimum: 0 }),
  validationQuestions: Type.Integer({ minimum: 0, description: 'The latest past questions held out for the figures' }),
  validationMrr: Type.Number({ description: 'Mean reciprocal rank of the first answerer on the held-out questions' }),
  validationS3: Type.Number({ description: 'Share of held-out questions with an answerer among the first 3' }),
  weightedMrr: Type.Number({ description: 'The weighted score on the same questions' }),
  mostActiveMrr: Type.Number({ description: 'Asking the most active members, on the same questions' }),
  mostActiveS3: Type.Number(),
});
export type MatchingModelSummary = Static<typeof MatchingModelSummary>;
export const MatchingLoadWeek = Type.Object({
  weekStart: DateTime,
  questions: Type.Integer({ minimum: 0, description: 'Questions matched that week' }),
  experts: Type.Integer({ minimum: 0, description: 'Different members asked' }),
  maxShare: Type.Number({ description: 'The share of that week’s questions the most-asked member was asked about' }),
});
export type MatchingLoadWeek = Static<typeof MatchingLoadWeek>;
export const CommunityMatchingSettings = Type.Object({
  community: Type.Object({ slug: Type.String(), name: Type.String() }),
  settings: MatchingSettings,
  isDefault: Type.Boolean({ description: 'Nothing saved yet: these are the defaults' }),
  abilities: Type.Object({ edit: Type.Boolean() }),
  ranking: Type.Union(
    [
      Type.Object({
        model: Nullable(MatchingModelSummary),
        load: Type.Array(MatchingLoadWeek, { description: 'The last 8 weeks, oldest first' }),
      }),
      Type.Null(),
    ],
    { description: 'How well matching ranks and how the load spreads; only for the community’s leaders and moderators' },
  ),
});
export type CommunityMatchingSettings = Static<typeof CommunityMatchingSettings>;
export const MatchingSettingsBody = Type.Partial(MatchingSettings, { additionalProperties: false, minProperties: 1 });
export type MatchingSettingsBody = Static<typeof MatchingSettingsBody>;

// ---- Guides ----
export const GuideStatus = Type.Union([
  Type.Literal('draft'),
  Type.Literal('in_review'),
  Type.Literal('published'),
  Type.Literal('archived'),
]);
export type GuideStatus = Static<typeof GuideStatus>;
const GuideTitle = SingleLine({ minLength: 3, maxLength: 150 });
const PostIds = Type.Array(Id, { minItems: 1, maxItems: 20, uniqueItems: true });
export const GuideSource = Type.Object({
  post: Type.Object({
    id: Id,
    number: Type.Integer(),
    accepted: Type.Boolean({ description: 'The accepted answer of its thread' }),
    url: Type.String({ description: '/t/<threadId>#post-<postId>' }),
  }),
  thread: Type.Object({ id: Id, title: Type.String() }),
  author: Nullable(UserSummary),
  addedAt: DateTime,
});
export type GuideSource = Static<typeof GuideSource>;
export const GuideAbilities = Type.Object({
  edit: Type.Boolean(),
  submit: Type.Boolean(),
  approve: Type.Boolean(),
  verify: Type.Boolean(),
  restore: Type.Boolean(),
});
export const GuideSummary = Type.Object({
  id: Id,
  title: Type.String(),
  status: GuideStatus,
  community: Type.Object({ slug: Type.String(), name: Type.String() }),
  tags: Type.Array(Type.String()),
  revision: Type.Integer(),
  verifiedAt: Nullable(DateTime),
  publishedAt: Nullable(DateTime),
  updatedAt: DateTime,
});
export type GuideSummary = Static<typeof GuideSummary>;
export const Guide = Type.Object({
  ...GuideSummary.properties,
  body: Type.String({ description: 'Markdown of the current revision' }),
  html: Type.String({ description: 'Sanitized HTML of the body' }),
  sources: Type.Array(GuideSource),
  createdBy: Nullable(UserSummary),
  owner: Nullable(UserSummary),
  submittedBy: Nullable(UserSummary),
  approvedBy: Nullable(UserSummary),
  verifiedBy: Nullable(UserSummary),
  submittedAt: Nullable(DateTime),
  reviewDueAt: Nullable(DateTime),
  createdAt: DateTime,
  abilities: GuideAbilities,
});
export type Guide = Static<typeof Guide>;
export const GuideCreateBody = Type.Object(
  {
    community: Type.String({ minLength: 1, maxLength: 50 }),
    title: GuideTitle,
    sourcePostIds: PostIds,
    tags: Type.Optional(Type.Array(TagName, { maxItems: MAX_TAGS })),
  },
  { additionalProperties: false },
);
export type GuideCreateBody = Static<typeof GuideCreateBody>;
export const GuideUpdateBody = Type.Object(
  {
    title: Type.Optional(GuideTitle),
    body: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_POST_BODY })),
    tags: Type.Optional(Type.Array(TagName, { maxItems: MAX_TAGS })),
    note: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type GuideUpdateBody = Static<typeof GuideUpdateBody>;
export const GuideSourcesBody = Type.Object({ postIds: PostIds }, { additionalProperties: false });
export const GuideRestoreBody = Type.Object({ revision: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
export const GuideRevision = Type.Object({
  revision: Type.Integer(),
  title: Type.String(),
  editor: Nullable(UserSummary),
  note: Nullable(Type.String()),
  createdAt: DateTime,
  current: Type.Boolean(),
});
export const GuideRevisionList = Type.Object({ items: Type.Array(GuideRevision) });
export type GuideRevisionList = Static<typeof GuideRevisionList>;
export const DiffSegment = Type.Object({
  kind: Type.Union([Type.Literal('same'), Type.Literal('added'), Type.Literal('removed')]),
  text: Type.String(),
});
export const GuideDiffQuery = Type.Object({ from: Type.Integer({ minimum: 1 }), to: Type.Integer({ minimum: 1 }) });
export const GuideDiff = Type.Object({
  from: Type.Integer(),
  to: Type.Integer(),
  title: Type.Array(DiffSegment),
  body: Type.Array(DiffSegment),
  added: Type.Integer({ description: 'Lines added' }),
  removed: Type.Integer({ description: 'Lines removed' }),
});
export type GuideDiff = Static<typeof GuideDiff>;
export const GuideLibraryQuery = Type.Object({
  tag: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
  cursor: Type.Optional(Type.String({ maxLength: 20, pattern: '^[0-9]+$' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
});
export const GuideLibrary = Type.Object({
  community: Type.Object({ slug: Type.String(), name: Type.String() }),
  items: Type.Array(GuideSummary),
  tags: Type.Array(Type.Object({ name: Type.String(), count: Type.Integer() }), { description: 'Tags of the guides the viewer may read' }),
  nextCursor: Nullable(Type.String()),
  abilities: Type.Object({ create: Type.Boolean(), settings: Type.Boolean() }),
  selfPublish: Type.Boolean({ description: 'Leaders may publish their own guides without a second approval' }),
});
export type GuideLibrary = Static<typeof GuideLibrary>;
export const GuideSettingsBody = Type.Object({ selfPublish: Type.Boolean() }, { additionalProperties: false });
export const ThreadGuides = Type.Object({ items: Type.Array(GuideSummary) });
export type ThreadGuides = Static<typeof ThreadGuides>;
export const GuideSearchHit = Type.Object({
  id: Id,
  title: Type.String(),
  community: Type.Object({ slug: Type.String(), name: Type.String() }),
  verifiedAt: Nullable(DateTime),
  snippetHtml: Type.String(),
});
export type GuideSearchHit = Static<typeof GuideSearchHit>;
export const GuideSearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 200 }),
  community: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
});
export const GuideSearchResults = Type.Object({ items: Type.Array(GuideSearchHit) });
export type GuideSearchResults = Static<typeof GuideSearchResults>;
export const GuideSimilarQuery = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 300 }),
  body: Type.Optional(Type.String({ maxLength: 5000 })),
  community: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
});

// ---- Participation and community health --------------------------------------------------------------

export const MemberListQuery = Type.Object(
  {
    level: Type.Optional(ParticipationLevel),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 30 })),
  },
  { additionalProperties: false },
);
export const MemberListItem = Type.Object({
  user: UserSummary,
  role: MembershipRole,
  joinedAt: DateTime,
  level: Nullable(ParticipationLevel),
  levelSince: Nullable(DateTime),
  figures: Type.Object(
    { answers: Type.Integer(), accepted: Type.Integer(), questions: Type.Integer(), daysActive: Type.Integer() },
    { description: 'Over the last 90 days, as of the last recomputation' },
  ),
});
export const MemberList = Type.Object({
  community: Type.Object({ slug: Type.String(), name: Type.String() }),
  levels: Type.Object(
    { newcomer: Type.Integer(), peripheral: Type.Integer(), active: Type.Integer(), core: Type.Integer(), leader: Type.Integer() },
    { description: 'Members per level' },
  ),
  items: Type.Array(MemberListItem),
  nextCursor: Nullable(Type.String()),
});
export type MemberList = Static<typeof MemberList>;

export const HealthQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ maxLength: 40, description: 'YYYY-MM-DD or an ISO date-time; default: 12 weeks before `to`' })),
    to: Type.Optional(Type.String({ maxLength: 40, description: 'YYYY-MM-DD (that day included) or an ISO date-time; default: now' })),
  },
  { additionalProperties: false },
);
const Share = Nullable(Type.Number({ minimum: 0, maximum: 1 }));
const Minutes = Nullable(Type.Number({ minimum: 0 }));
export const HealthWeek = Type.Object({
  weekStart: Type.String({ format: 'date', description: 'Monday (UTC)' }),
  questions: Type.Integer(),
  answered: Type.Integer(),
  solved: Type.Integer(),
  answeredShare: Share,
  solvedShare: Share,
  medianFirstAnswerMinutes: Minutes,
  medianFirstExpertAnswerMinutes: Minutes,
  guidesPublished: Type.Integer(),
  guidesVerified: Type.Integer(),
  levelUps: Type.Integer(),
  levelDowns: Type.Integer(),
});
export const HealthUnanswered = Type.Object({
  id: Id,
  title: Type.String(),
  tags: Type.Array(Type.String()),
  author: Nullable(Type.Object({ username: Type.String(), displayName: Type.String() })),
  createdAt: DateTime,
  ageHours: Type.Integer(),
  matched: Type.Boolean({ description: 'experts were asked' }),
});
export const CommunityHealth = Type.Object({
  community: Type.Object({ slug: Type.String(), name: Type.String() }),
  period: Type.Object({ from: DateTime, to: DateTime, weeks: Type.Integer() }),
  generatedAt: DateTime,
  totals: Type.Object({
    questions: Type.Integer(),
    answered: Type.Integer({ description: 'with an answer by someone other than the asker' }),
    solved: Type.Integer(),
    answeredShare: Share,
    solvedShare: Share,
    medianFirstAnswerMinutes: Minutes,
    matchedQuestions: Type.Integer({ description: 'questions experts were asked about' }),
    medianFirstExpertAnswerMinutes: Minutes,
  }),
  weekly: Type.Array(HealthWeek),
  unanswered: Type.Object(
    { total: Type.Integer(), items: Type.Array(HealthUnanswered, { description: 'oldest first, at most 50' }) },
    { description: 'Open questions of the period without an answer after 48 hours' },
  ),
  retention: Type.Object(
    { asked: Type.Integer(), returned: Type.Integer(), answeredSomeone: Type.Integer(), returnedShare: Share, answeredShare: Share },
    {
      description:
        'Newcomers whose first post here was a question in the period: who came back (posted again a day later or more), and who then answered someone',
    },
  ),
  experts: Type.Object({
    answerers: Type.Integer(),
    answers: Type.Integer(),
    topFifthShare: Share,
    gini: Nullable(Type.Number()),
    items: Type.Array(
      Type.Object({
        user: UserSummary,
        answers: Type.Integer(),
        accepted: Type.Integer(),
        matched: Type.Integer(),
        matchedAnswered: Type.Integer(),
        declined: Type.Integer(),
      }),
      { description: 'The busiest answerers and matched experts, at most 20' },
    ),
  }),
  coverage: Type.Object({
    gaps: Type.Integer({ description: 'tags with questions but no active expert' }),
    tags: Type.Array(
      Type.Object({ tag: Type.String(), questions: Type.Integer(), unanswered: Type.Integer(), activeExperts: Type.Integer() }),
      { description: 'Tags of the period’s questions, gaps first' },
    ),
  }),
  participation: Type.Object({
    levels: Type.Object({
      newcomer: Type.Integer(),
      peripheral: Type.Integer(),
      active: Type.Integer(),
      core: Type.Integer(),
      leader: Type.Integer(),
    }),
    up: Type.Integer(),
    down: Type.Integer(),
    movement: Type.Array(Type.Object({ from: Nullable(ParticipationLevel), to: ParticipationLevel, count: Type.Integer() })),
  }),
  guides: Type.Object({
    published: Type.Integer(),
    verified: Type.Integer(),
    publishedTotal: Type.Integer({ description: 'published guides now' }),
  }),
});
export type CommunityHealth = Static<typeof CommunityHealth>;

// ---- Moderation, people, trust, charter history ------------------------------------------------

export const FlagReason = Type.Union([
  Type.Literal('spam'),
  Type.Literal('off_topic'),
  Type.Literal('inappropriate'),
  Type.Literal('needs_moderator'),
]);
export const FlagCreateBody = Type.Object(
  {
    reason: FlagReason,
    note: Type.Optional(Type.String({ maxLength: 1000, description: 'what the moderators should know (needed for needs_moderator)' })),
  },
  { additionalProperties: false },
);
export type FlagCreateBody = Static<typeof FlagCreateBody>;
export const FlagStatus = Type.Union([Type.Literal('open'), Type.Literal('upheld'), Type.Literal('dismissed')]);
export const ReviewAction = Type.Union([
  Type.Literal('approve'),
  Type.Literal('hide'),
  Type.Literal('delete'),
  Type.Literal('suspend'),
  Type.Literal('dismiss'),
]);
export const Flag = Type.Object({
  id: Id,
  postId: Id,
  reason: FlagReason,
  note: Type.String(),
  status: FlagStatus,
  resolution: Nullable(ReviewAction),
  flagger: Nullable(UserSummary),
  resolvedBy: Nullable(UserSummary),
  createdAt: DateTime,
  resolvedAt: Nullable(DateTime),
});
export type Flag = Static<typeof Flag>;
export const FlagCreated = Type.Object({ flag: Flag, message: Type.String() });
export const ReviewItem = Type.Object({
  post: Type.Object({
    id: Id,
    number: Type.Integer(),
    author: Nullable(Type.Intersect([UserSummary, Type.Object({ suspendedUntil: Nullable(DateTime) })])),
    html: Type.String(),
    createdAt: DateTime,
    held: Type.Boolean(),
    hidden: Type.Boolean(),
  }),
  thread: Type.Object({ id: Id, title: Type.String() }),
  openFlags: Type.Integer(),
  flags: Type.Array(Flag, { description: 'every flag on the post, open and resolved, newest first: its flag history' }),
  queuedAt: DateTime,
});
export type ReviewItem = Static<typeof ReviewItem>;
export const ReviewQueue = Type.Object({
  community: Type.Object({ slug: Type.String(), name: Type.String() }),
  items: Type.Array(ReviewItem),
  nextCursor: Nullable(Type.String()),
});
export type ReviewQueue = Static<typeof ReviewQueue>;
export const CursorQuery = Type.Object(
  { cursor: Type.Optional(Type.String({ maxLength: 200 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })) },
  { additionalProperties: false },
);
export const ReviewBody = Type.Object(
  {
    action: ReviewAction,
    until: Type.Optional(Type.String({ format: 'date-time', description: 'suspend: until when' })),
    reason: Type.Optional(Type.String({ maxLength: 500, description: 'suspend: told to the member; otherwise kept in the audit log' })),
  },
  { additionalProperties: false },
);
export type ReviewBody = Static<typeof ReviewBody>;
export const ReviewResult = Type.Object({ postId: Id, action: ReviewAction, resolvedFlags: Type.Integer() });
export const ThreadMoveBody = Type.Object(
  { community: Type.String({ minLength: 1, maxLength: 50, description: 'destination community slug' }) },
  { additionalProperties: false },
);
export const SiteRoleBody = Type.Object({ role: Role }, { additionalProperties: false });
export const CommunityRoleBody = Type.Object({ role: MembershipRole }, { additionalProperties: false });
export const MemberParams = Type.Object({
  slug: Type.String({ minLength: 1, maxLength: 50 }),
  username: Type.String({ minLength: 1, maxLength: 30 }),
});
export const SuspendBody = Type.Object(
  { until: Type.String({ format: 'date-time' }), reason: Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);
export type SuspendBody = Static<typeof SuspendBody>;
export const UserModeration = Type.Object({
  user: Type.Intersect([
    UserSummary,
    Type.Object({ role: Role, suspendedUntil: Nullable(DateTime), suspendReason: Nullable(Type.String()) }),
  ]),
  memberships: Type.Array(Type.Object({ slug: Type.String(), name: Type.String(), role: Nullable(MembershipRole) }), {
    description: 'communities whose roles the viewer may set (admins: all), with this member’s role (null: not a member)',
  }),
  abilities: Type.Object({
    assignRole: Type.Boolean(),
    suspend: Type.Boolean(),
    unsuspend: Type.Boolean(),
    assignCommunityRoles: Type.Boolean(),
  }),
});
export type UserModeration = Static<typeof UserModeration>;
export const CommunityRoleResult = Type.Object({ community: Type.String(), username: Type.String(), role: MembershipRole });
export const AuditEntry = Type.Object({
  id: Id,
  actor: Nullable(UserSummary),
  action: Type.String(),
  subjectType: Type.String(),
  subjectId: Type.Integer(),
  community: Nullable(Type.Object({ slug: Type.String(), name: Type.String() })),
  details: Type.Record(Type.String(), Type.Unknown()),
  createdAt: DateTime,
});
export const AuditList = Type.Object({ items: Type.Array(AuditEntry), nextCursor: Nullable(Type.String()) });
export type AuditList = Static<typeof AuditList>;
const Count = Type.Integer({ minimum: 0, maximum: 100000 });
export const TrustRequirement = Type.Object(
  { daysVisited: Count, topicsEntered: Count, postsRead: Count, replies: Count, acceptedAnswers: Count, maxFlagsUpheld: Count },
  { additionalProperties: false },
);
export const TrustThresholds = Type.Object(
  { tl1: TrustRequirement, tl2: TrustRequirement, tl3: TrustRequirement },
  { additionalProperties: false },
);
export const NewcomerLimits = Type.Object(
  { linksPerPost: Count, mentionsPerPost: Count, postsPerDay: Count, topicsPerDay: Count },
  { additionalProperties: false, description: 'What TL0 newcomers may do' },
);
export const TrustSettings = Type.Object({
  thresholds: TrustThresholds,
  newcomerLimits: NewcomerLimits,
  isDefault: Type.Boolean(),
  updatedAt: Nullable(DateTime),
});
export type TrustSettings = Static<typeof TrustSettings>;
export const TrustSettingsBody = Type.Object(
  { thresholds: Type.Optional(TrustThresholds), newcomerLimits: Type.Optional(NewcomerLimits) },
  { additionalProperties: false, minProperties: 1 },
);
export type TrustSettingsBody = Static<typeof TrustSettingsBody>;
export const CharterRevision = Type.Object({
  revision: Type.Integer(),
  editor: Nullable(UserSummary),
  createdAt: DateTime,
  charter: Type.String(),
  size: Type.Integer(),
});
export const CharterRevisionList = Type.Object({
  community: Type.Object({ slug: Type.String(), name: Type.String() }),
  current: Type.Integer(),
  items: Type.Array(CharterRevision, { description: 'newest first' }),
});
export const CharterDiffQuery = Type.Object(
  { from: Type.Integer({ minimum: 1 }), to: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);
export const CharterDiff = Type.Object({
  from: CharterRevision,
  to: CharterRevision,
  parts: Type.Array(Type.Object({ value: Type.String(), added: Type.Boolean(), removed: Type.Boolean() }), {
    description: 'line diff: unchanged, added and removed runs in order',
  }),
});
export type CharterDiff = Static<typeof CharterDiff>;
export const GuidePreviewBody = Type.Object({ body: Type.String({ maxLength: MAX_POST_BODY }) }, { additionalProperties: false });
export const GuidePreview = Type.Object({ html: Type.String() });

// ---- Page read models: one call per page; the writes a reader makes are one explicit batch ----
export const ThreadPage = Type.Object({
  thread: ThreadDetail,
  solution: Type.Union([Post, Type.Null()], { description: 'The accepted answer, also when it is on another page of posts' }),
  solutionOnPage: Type.Boolean({ description: 'The accepted answer is among thread.posts' }),
  watch: Type.Union([WatchState, Type.Null()], { description: 'The viewer’s watch level; null when anonymous' }),
  matching: Type.Union([ThreadMatching, Type.Null()], {
    description: 'Expert matching for the viewer (why they were asked; who was asked); null when anonymous',
  }),
  guides: Type.Object({
    cited: Type.Array(GuideSummary, { description: 'Guides that cite answers of this thread' }),
    drafts: Type.Array(GuideSummary, { description: 'Drafts an answer can be added to (curators only; empty otherwise)' }),
    canCurate: Type.Boolean(),
  }),
  moveTargets: Type.Array(Type.Object({ slug: Type.String(), name: Type.String() }), {
    description: 'Where a moderator may move the thread; empty for others',
  }),
  unreadCount: Nullable(Type.Integer({ description: 'The viewer’s unread notifications; null when anonymous' })),
});
export type ThreadPage = Static<typeof ThreadPage>;

export const ReadMarksBody = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          threadId: Id,
          lastPostNumber: Type.Integer({ minimum: 1, maximum: 2147483647, description: 'The highest post number shown to the reader' }),
        },
        { additionalProperties: false },
      ),
      {
        minItems: 1,
        maxItems: 50,
      },
    ),
  },
  { additionalProperties: false, description: 'Threads the reader was shown, each up to a post number' },
);
export type ReadMarksBody = Static<typeof ReadMarksBody>;

export const PostsAfterQuery = Type.Object(
  {
    after: Type.Integer({ minimum: 0, maximum: 2147483647, description: 'Posts with a number greater than this' }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
  },
  { additionalProperties: false },
);
export const PostsAfter = Type.Object({
  items: Type.Array(Post),
  more: Type.Boolean({ description: 'More posts follow the last one returned' }),
  totalPosts: Type.Integer(),
});
export type PostsAfter = Static<typeof PostsAfter>;
