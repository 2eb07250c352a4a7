import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const users = pgTable(
  'users',
  {
    id: serial('id').primaryKey(),
    username: text('username').notNull(),
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash'),
    role: text('role', { enum: ['member', 'moderator', 'admin'] })
      .notNull()
      .default('member'),
    trustLevel: smallint('trust_level').notNull().default(0),
    suspendedUntil: ts('suspended_until'),
    suspendReason: text('suspend_reason'),
    createdAt: createdAt(),
    lastSeenAt: ts('last_seen_at'),
    /** When to email notifications: only while away (not seen for a while), always, or never. */
    emailNotifications: text('email_notifications', { enum: ['away', 'always', 'never'] })
      .notNull()
      .default('away'),
    emailDigest: text('email_digest', { enum: ['daily', 'never'] })
      .notNull()
      .default('daily'),
    /** Notification kinds (and 'digest') this user unsubscribed from by email link. */
    emailMutedKinds: text('email_muted_kinds')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Random token in unsubscribe links; it grants nothing but unsubscribing. */
    emailToken: text('email_token')
      .notNull()
      .default(sql`md5(random()::text || clock_timestamp()::text)`),
  },
  (t) => [
    uniqueIndex('users_username_lower_uq').on(sql`lower(${t.username})`),
    uniqueIndex('users_email_lower_uq').on(sql`lower(${t.email})`),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(), // sha-256 of the cookie token; the token itself is never stored
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: ts('expires_at').notNull(),
    lastUsedAt: ts('last_used_at'),
    userAgent: text('user_agent'),
    ip: text('ip'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const accessTokens = pgTable(
  'access_tokens',
  {
    id: serial('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: createdAt(),
    lastUsedAt: ts('last_used_at'),
    revokedAt: ts('revoked_at'),
    /** What the token may do: 'read', 'write', and for admins 'admin'. Managing tokens always needs a session. */
    scopes: text('scopes')
      .array()
      .notNull()
      .default(sql`'{read,write}'::text[]`),
    expiresAt: ts('expires_at'),
  },
  (t) => [index('access_tokens_user_idx').on(t.userId)],
);

export const communities = pgTable('communities', {
  id: serial('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  charter: text('charter').notNull().default(''),
  charterHtml: text('charter_html').notNull().default(''),
  visibility: text('visibility', { enum: ['public', 'private'] })
    .notNull()
    .default('public'),
  memberCount: integer('member_count').notNull().default(0),
  threadCount: integer('thread_count').notNull().default(0),
  createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
  /** A leader or moderator may publish their own guide without a second approval. */
  guideSelfPublish: boolean('guide_self_publish').notNull().default(false),
  /** Everyone's first post in this community waits in the review queue until a moderator approves it. */
  holdFirstPosts: boolean('hold_first_posts').notNull().default(false),
  /** Revision of the charter (charter_revisions holds every one). */
  charterRevision: integer('charter_revision').notNull().default(0),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const memberships = pgTable(
  'memberships',
  {
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['member', 'leader', 'moderator'] })
      .notNull()
      .default('member'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.userId] }), index('memberships_user_idx').on(t.userId)],
);

export const threads = pgTable(
  'threads',
  {
    id: serial('id').primaryKey(),
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    kind: text('kind', { enum: ['question', 'discussion'] })
      .notNull()
      .default('question'),
    title: text('title').notNull(),
    status: text('status', { enum: ['open', 'solved', 'locked'] })
      .notNull()
      .default('open'),
    solutionPostId: integer('solution_post_id'),
    tags: text('tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    excerpt: text('excerpt').notNull().default(''),
    replyCount: integer('reply_count').notNull().default(0),
    postCount: integer('post_count').notNull().default(0),
    score: integer('score').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    lastActivityAt: ts('last_activity_at').notNull().defaultNow(),
    deletedAt: ts('deleted_at'),
    /** Its opening post is held for a moderator's approval: hidden from lists, search and everyone but its author and moderators. */
    heldAt: ts('held_at'),
    /** When the search index last received this thread, and with which document version. */
    indexedAt: ts('indexed_at'),
    searchVersion: integer('search_version').notNull().default(0),
  },
  (t) => [
    index('threads_community_activity_idx').on(t.communityId, t.lastActivityAt, t.id),
    index('threads_activity_idx').on(t.lastActivityAt, t.id),
    index('threads_author_idx').on(t.authorId),
    index('threads_community_created_idx').on(t.communityId, t.createdAt),
    index('threads_tags_idx').using('gin', t.tags),
    index('threads_index_stale_idx')
      .on(t.id)
      .where(sql`${t.indexedAt} is null or ${t.indexedAt} < ${t.updatedAt}`),
  ],
);

export const posts = pgTable(
  'posts',
  {
    id: serial('id').primaryKey(),
    threadId: integer('thread_id')
      .notNull()
      .references(() => threads.id, { onDelete: 'cascade' }),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    number: integer('number').notNull(),
    body: text('body').notNull(),
    html: text('html').notNull(),
    replyToId: integer('reply_to_id'),
    revision: integer('revision').notNull().default(1),
    score: integer('score').notNull().default(0),
    /** Score carried over from an import; votes cast here add to it. */
    importedScore: integer('imported_score').notNull().default(0),
    createdAt: createdAt(),
    editedAt: ts('edited_at'),
    hiddenAt: ts('hidden_at'),
    deletedAt: ts('deleted_at'),
    /** Held for a moderator's approval (a first post in a community that holds them); hidden from others until approved. */
    heldAt: ts('held_at'),
  },
  (t) => [
    uniqueIndex('posts_thread_number_uq').on(t.threadId, t.number),
    index('posts_held_idx')
      .on(t.id)
      .where(sql`${t.heldAt} is not null`),
    index('posts_author_idx').on(t.authorId, t.createdAt),
    /** Health dashboard: the answers of a period (expert load). */
    index('posts_created_idx').on(t.createdAt),
    /** Health dashboard: a question's visible answers (first answer, first answer by a matched expert), read from the index alone. */
    index('posts_thread_answers_idx')
      .on(t.threadId, t.authorId, t.createdAt)
      .where(sql`${t.number} > 1 and ${t.deletedAt} is null and ${t.hiddenAt} is null and ${t.heldAt} is null`),
  ],
);

export const postRevisions = pgTable(
  'post_revisions',
  {
    postId: integer('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    revision: integer('revision').notNull(),
    body: text('body').notNull(),
    editorId: integer('editor_id').references(() => users.id, { onDelete: 'set null' }),
    reason: text('reason'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.postId, t.revision] })],
);

export const tags = pgTable(
  'tags',
  {
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    threadCount: integer('thread_count').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.name] })],
);

export const votes = pgTable(
  'votes',
  {
    postId: integer('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    value: smallint('value').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.postId, t.userId] }),
    index('votes_user_idx').on(t.userId),
    check('votes_value_ck', sql`${t.value} in (-1, 1)`),
  ],
);

export const outboxEvents = pgTable(
  'outbox_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    type: text('type').notNull(),
    aggregate: text('aggregate').notNull(),
    aggregateId: integer('aggregate_id').notNull(),
    payload: jsonb('payload').notNull(),
    actorId: integer('actor_id'),
    createdAt: createdAt(),
    publishedAt: ts('published_at'),
    attempts: integer('attempts').notNull().default(0),
  },
  (t) => [
    index('outbox_unpublished_idx')
      .on(t.id)
      .where(sql`${t.publishedAt} is null`),
  ],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    actorId: integer('actor_id').references(() => users.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: integer('subject_id').notNull(),
    communityId: integer('community_id'),
    details: jsonb('details')
      .notNull()
      .default(sql`'{}'::jsonb`),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_subject_idx').on(t.subjectType, t.subjectId), index('audit_log_community_idx').on(t.communityId, t.createdAt)],
);

export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const notifications = pgTable(
  'notifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Append-only catalogue (see domain/notifications.ts); a retired kind is kept, never reused. */
    kind: text('kind').notNull(),
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    threadId: integer('thread_id')
      .notNull()
      .references(() => threads.id, { onDelete: 'cascade' }),
    postId: integer('post_id'),
    actorId: integer('actor_id').references(() => users.id, { onDelete: 'set null' }),
    /** One notification per recipient and cause: a retried job hits this key and writes nothing. */
    dedupeKey: text('dedupe_key').notNull(),
    data: jsonb('data')
      .notNull()
      .default(sql`'{}'::jsonb`),
    createdAt: createdAt(),
    readAt: ts('read_at'),
    /** An attempt to email this is under way since then (a lease: a killed sender's claim expires). */
    emailClaimedAt: ts('email_claimed_at'),
    emailedAt: ts('emailed_at'),
  },
  (t) => [
    uniqueIndex('notifications_dedupe_uq').on(t.userId, t.dedupeKey),
    index('notifications_user_idx').on(t.userId, t.id),
    index('notifications_unread_idx')
      .on(t.userId)
      .where(sql`${t.readAt} is null`),
  ],
);

export const watchLevels = ['watching', 'tracking', 'normal', 'muted'] as const;

/** A member's chosen watch level for a community, a tag in a community, or a thread. No row = the default. */
export const watches = pgTable(
  'watches',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    targetType: text('target_type', { enum: ['community', 'tag', 'thread'] }).notNull(),
    /** Community id for 'community' and 'tag', thread id for 'thread'. */
    targetId: integer('target_id').notNull(),
    tag: text('tag').notNull().default(''),
    level: text('level', { enum: watchLevels }).notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.targetType, t.targetId, t.tag] }),
    index('watches_target_idx').on(t.targetType, t.targetId, t.tag),
  ],
);

/** Jobs that failed on their last attempt; an admin can inspect and retry them. */
export const deadLetters = pgTable(
  'dead_letters',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    queue: text('queue').notNull(),
    jobName: text('job_name').notNull(),
    jobId: text('job_id').notNull(),
    data: jsonb('data').notNull(),
    error: text('error').notNull(),
    attempts: integer('attempts').notNull(),
    failedAt: timestamp('failed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    retriedAt: ts('retried_at'),
    retryCount: integer('retry_count').notNull().default(0),
  },
  (t) => [
    uniqueIndex('dead_letters_job_uq').on(t.queue, t.jobId),
    index('dead_letters_open_idx')
      .on(t.id)
      .where(sql`${t.retriedAt} is null`),
  ],
);

/** One row per digest sent, so a retried digest job never sends twice. */
export const emailDigests = pgTable(
  'email_digests',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    day: text('day').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.day] })],
);

/** Expert matching, per community; no value = the default in `defaultMatchingSettings` (domain). */
export const communityMatchingSettings = pgTable('community_matching_settings', {
  communityId: integer('community_id')
    .primaryKey()
    .references(() => communities.id, { onDelete: 'cascade' }),
  /** Experts notified per round. */
  expertsPerRound: smallint('experts_per_round').notNull().default(3),
  /** Rounds of experts before the community's leaders are asked. */
  rounds: smallint('rounds').notNull().default(2),
  /** A round without an answer escalates after this long (a newcomer's first question: `newcomerEscalateMinutes`). */
  escalateMinutes: integer('escalate_minutes').notNull().default(120),
  newcomerEscalateMinutes: integer('newcomer_escalate_minutes').notNull().default(30),
  /** Which questions are matched: every question, or only newcomers' (newcomers' questions always are). */
  matchQuestions: text('match_questions', { enum: ['all', 'newcomers'] })
    .notNull()
    .default('all'),
  /** Whether the asker sees the names of the members who were asked. */
  showExpertNames: boolean('show_expert_names').notNull().default(true),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** A member's matching preferences that hold everywhere. No row = the defaults. */
export const expertSettings = pgTable('expert_settings', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** At most this many matched questions a week; null = no cap. */
  weeklyCap: smallint('weekly_cap').default(10),
  /** Local hours [start, end) during which they are not matched; both null = none. */
  quietStart: smallint('quiet_start'),
  quietEnd: smallint('quiet_end'),
  timeZone: text('time_zone').notNull().default('UTC'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** Per community: opt in or out of matching, tags wanted and not wanted. No row = opted in once they answered there. */
export const expertCommunityPreferences = pgTable(
  'expert_community_preferences',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    matching: text('matching', { enum: ['in', 'out'] }).notNull(),
    wantedTags: text('wanted_tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    mutedTags: text('muted_tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.communityId] }), index('expert_prefs_community_idx').on(t.communityId)],
);

/**
 * Derived expertise: a member's answers in a community, per tag ('' = the whole community). Rebuilt
 * from the posts by the worker on answer, accept and vote events, so it can always be recomputed.
 */
export const expertStats = pgTable(
  'expert_stats',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    tag: text('tag').notNull(),
    answers: integer('answers').notNull().default(0),
    accepted: integer('accepted').notNull().default(0),
    score: integer('score').notNull().default(0),
    lastAnswerAt: ts('last_answer_at'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.tag, t.userId] }), index('expert_stats_user_idx').on(t.userId)],
);

export const matchStates = ['notified', 'seen', 'declined', 'answered', 'accepted', 'expired'] as const;

/** One expert asked about one question: never twice for the same question (unique thread, expert). */
export const expertMatches = pgTable(
  'expert_matches',
  {
    id: serial('id').primaryKey(),
    threadId: integer('thread_id')
      .notNull()
      .references(() => threads.id, { onDelete: 'cascade' }),
    expertId: integer('expert_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** 1, 2, …; leaders asked after the last round are recorded with kind 'leader'. */
    round: smallint('round').notNull(),
    kind: text('kind', { enum: ['expert', 'leader'] })
      .notNull()
      .default('expert'),
    rank: smallint('rank').notNull(),
    score: integer('score').notNull().default(0),
    reasons: text('reasons')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    signals: jsonb('signals')
      .notNull()
      .default(sql`'{}'::jsonb`),
    state: text('state', { enum: matchStates }).notNull().default('notified'),
    declineReason: text('decline_reason', { enum: ['not_my_area', 'no_time'] }),
    /** The declined match this one stands in for: one stand-in per decline, however often the job runs. */
    replacesMatchId: integer('replaces_match_id'),
    notifiedAt: ts('notified_at').notNull().defaultNow(),
    seenAt: ts('seen_at'),
    respondedAt: ts('responded_at'),
  },
  (t) => [
    uniqueIndex('expert_matches_thread_expert_uq').on(t.threadId, t.expertId),
    index('expert_matches_expert_idx').on(t.expertId, t.notifiedAt),
    uniqueIndex('expert_matches_replaces_uq').on(t.replacesMatchId),
  ],
);

/**
 * A community's learned expert-ranking model (domain `RankingModel`), one row per training run (version 1, 2, …).
 * The matcher uses the latest version whose `in_use` is true: the model beat the weighted score on the
 * community's own held-out questions. The validation figures are those of the held-out questions.
 */
export const matchingModels = pgTable(
  'matching_models',
  {
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    kind: text('kind').notNull(),
    model: jsonb('model').notNull(),
    inUse: boolean('in_use').notNull(),
    trainedAt: ts('trained_at').notNull().defaultNow(),
    trainingQuestions: integer('training_questions').notNull(),
    validationQuestions: integer('validation_questions').notNull(),
    validationMrr: doublePrecision('validation_mrr').notNull(),
    validationS3: doublePrecision('validation_s3').notNull(),
    weightedMrr: doublePrecision('weighted_mrr').notNull(),
    mostActiveMrr: doublePrecision('most_active_mrr').notNull(),
    mostActiveS3: doublePrecision('most_active_s3').notNull(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.version] })],
);

/** The escalation ladder of one matched question. */
export const matchRequests = pgTable(
  'match_requests',
  {
    threadId: integer('thread_id')
      .primaryKey()
      .references(() => threads.id, { onDelete: 'cascade' }),
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    /** The last round notified (0 before the first). */
    round: smallint('round').notNull().default(0),
    state: text('state', { enum: ['open', 'answered', 'leaders', 'exhausted'] })
      .notNull()
      .default('open'),
    newcomer: boolean('newcomer').notNull().default(false),
    /** When the next round is due if nobody answered; null once the ladder ended. */
    nextEscalationAt: ts('next_escalation_at'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('match_requests_due_idx')
      .on(t.nextEscalationAt)
      .where(sql`${t.state} = 'open'`),
  ],
);

// ---- Guides: curated, versioned articles built from the best answers --------------------------------

export const guideStatuses = ['draft', 'in_review', 'published', 'archived'] as const;

export const guides = pgTable(
  'guides',
  {
    id: serial('id').primaryKey(),
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    /** Markdown of the current revision, and its sanitized HTML. */
    body: text('body').notNull(),
    html: text('html').notNull(),
    tags: text('tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    status: text('status', { enum: guideStatuses }).notNull().default('draft'),
    revision: integer('revision').notNull().default(1),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    /** Who keeps it fresh: by default the top credited expert. */
    ownerId: integer('owner_id').references(() => users.id, { onDelete: 'set null' }),
    submittedAt: ts('submitted_at'),
    submittedBy: integer('submitted_by').references(() => users.id, { onDelete: 'set null' }),
    publishedAt: ts('published_at'),
    approvedBy: integer('approved_by').references(() => users.id, { onDelete: 'set null' }),
    verifiedAt: ts('verified_at'),
    verifiedBy: integer('verified_by').references(() => users.id, { onDelete: 'set null' }),
    /** When the owner is next asked to verify or update it. */
    reviewDueAt: ts('review_due_at'),
    /** Similar questions asked since the last verification (a freshness signal). */
    similarQuestionsSinceVerified: integer('similar_questions_since_verified').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    deletedAt: ts('deleted_at'),
    indexedAt: ts('indexed_at'),
    searchVersion: integer('search_version').notNull().default(0),
    /** When the owner was last asked to review it because it came due (once per due date). */
    reviewRequestedAt: ts('review_requested_at'),
  },
  (t) => [
    index('guides_community_idx').on(t.communityId, t.status, t.updatedAt),
    index('guides_tags_idx').using('gin', t.tags),
    index('guides_review_due_idx')
      .on(t.reviewDueAt)
      .where(sql`${t.status} = 'published'`),
  ],
);

/** Every save of a guide. */
export const guideRevisions = pgTable(
  'guide_revisions',
  {
    guideId: integer('guide_id')
      .notNull()
      .references(() => guides.id, { onDelete: 'cascade' }),
    revision: integer('revision').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    editorId: integer('editor_id').references(() => users.id, { onDelete: 'set null' }),
    /** e.g. "created from 3 answers", "restored revision 2". */
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.guideId, t.revision] })],
);

/** The posts a guide was built from; the credit stays however the guide is rewritten. */
export const guideSources = pgTable(
  'guide_sources',
  {
    guideId: integer('guide_id')
      .notNull()
      .references(() => guides.id, { onDelete: 'cascade' }),
    postId: integer('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    threadId: integer('thread_id')
      .notNull()
      .references(() => threads.id, { onDelete: 'cascade' }),
    /** The credited author, kept even if the post is later deleted or its author renamed. */
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    position: smallint('position').notNull(),
    addedAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.guideId, t.postId] }),
    index('guide_sources_thread_idx').on(t.threadId),
    index('guide_sources_author_idx').on(t.authorId),
  ],
);

/** New questions found similar to a published guide since it was last verified (one row per question: retries count once). */
export const guideSimilarQuestions = pgTable(
  'guide_similar_questions',
  {
    guideId: integer('guide_id')
      .notNull()
      .references(() => guides.id, { onDelete: 'cascade' }),
    threadId: integer('thread_id')
      .notNull()
      .references(() => threads.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.guideId, t.threadId] })],
);

// ---- Moderation ---------------------------------------------------------------------------------------

export const flagReasons = ['spam', 'off_topic', 'inappropriate', 'needs_moderator'] as const;

export const flags = pgTable(
  'flags',
  {
    id: serial('id').primaryKey(),
    postId: integer('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    threadId: integer('thread_id')
      .notNull()
      .references(() => threads.id, { onDelete: 'cascade' }),
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    flaggerId: integer('flagger_id').references(() => users.id, { onDelete: 'set null' }),
    reason: text('reason', { enum: flagReasons }).notNull(),
    note: text('note').notNull().default(''),
    status: text('status', { enum: ['open', 'upheld', 'dismissed'] })
      .notNull()
      .default('open'),
    /** What the moderator did: approve (keep the post), hide, delete, suspend the author, dismiss. */
    resolution: text('resolution', { enum: ['approve', 'hide', 'delete', 'suspend', 'dismiss'] }),
    resolvedBy: integer('resolved_by').references(() => users.id, { onDelete: 'set null' }),
    resolvedAt: ts('resolved_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('flags_post_flagger_uq').on(t.postId, t.flaggerId),
    index('flags_open_idx')
      .on(t.communityId, t.createdAt)
      .where(sql`${t.status} = 'open'`),
    index('flags_post_idx').on(t.postId),
  ],
);

/** Every version of a community's charter: who, when, what. */
export const charterRevisions = pgTable(
  'charter_revisions',
  {
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    revision: integer('revision').notNull(),
    charter: text('charter').notNull(),
    editorId: integer('editor_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.revision] })],
);

// ---- Trust and participation ---------------------------------------------------------------------------

/** Activity behind trust levels, kept current by the API (visits, reads) and the worker (posts, accepts, flags). */
export const userStats = pgTable('user_stats', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  daysVisited: integer('days_visited').notNull().default(0),
  /** UTC day (YYYY-MM-DD) of the last counted visit. */
  lastVisitDay: text('last_visit_day'),
  postsRead: integer('posts_read').notNull().default(0),
  topicsEntered: integer('topics_entered').notNull().default(0),
  replies: integer('replies').notNull().default(0),
  topicsCreated: integer('topics_created').notNull().default(0),
  acceptedAnswers: integer('accepted_answers').notNull().default(0),
  flagsUpheld: integer('flags_upheld').notNull().default(0),
  /** When trust was last recomputed, and whether a moderator pinned the level. */
  trustComputedAt: ts('trust_computed_at'),
  trustLocked: boolean('trust_locked').notNull().default(false),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const participationLevels = ['newcomer', 'peripheral', 'active', 'core', 'leader'] as const;

/** A member's computed participation level in a community (recomputed by the worker). */
export const participation = pgTable(
  'participation',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    level: text('level', { enum: participationLevels }).notNull(),
    /** The activity figures the level was computed from (posts, answers, accepted, days active, …). */
    figures: jsonb('figures')
      .notNull()
      .default(sql`'{}'::jsonb`),
    since: ts('since').notNull().defaultNow(),
    computedAt: ts('computed_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.communityId, t.userId] }),
    index('participation_user_idx').on(t.userId),
    index('participation_level_idx').on(t.communityId, t.level),
  ],
);

/** Each change of participation level: the movement leaders see on the health dashboard. */
export const participationChanges = pgTable(
  'participation_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    fromLevel: text('from_level', { enum: participationLevels }),
    toLevel: text('to_level', { enum: participationLevels }).notNull(),
    changedAt: ts('changed_at').notNull().defaultNow(),
  },
  (t) => [index('participation_changes_community_idx').on(t.communityId, t.changedAt)],
);

/** How far a signed-in member has read each thread: distinct topics entered and posts read for trust levels. */
export const threadReads = pgTable(
  'thread_reads',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    threadId: integer('thread_id')
      .notNull()
      .references(() => threads.id, { onDelete: 'cascade' }),
    /** The highest post number this member has been shown. */
    lastReadNumber: integer('last_read_number').notNull().default(0),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.threadId] })],
);
