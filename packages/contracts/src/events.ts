import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';

/**
 * The event catalogue: every side effect starts as an outbox row whose `type` is a key here and whose
 * payload matches the schema. Names are `<aggregate>.<past-tense>` and fixed for good.
 */
export const eventSchemas = {
  'user.registered': Type.Object({ userId: Type.Integer() }),
  'community.created': Type.Object({ communityId: Type.Integer(), createdBy: Type.Integer() }),
  'community.updated': Type.Object({ communityId: Type.Integer(), updatedBy: Type.Integer(), fields: Type.Array(Type.String()) }),
  'member.joined': Type.Object({ communityId: Type.Integer(), userId: Type.Integer() }),
  'member.left': Type.Object({ communityId: Type.Integer(), userId: Type.Integer() }),
  'thread.created': Type.Object({
    threadId: Type.Integer(),
    communityId: Type.Integer(),
    authorId: Type.Integer(),
    postId: Type.Integer(),
    kind: Type.Union([Type.Literal('question'), Type.Literal('discussion')]),
    mentions: Type.Array(Type.String()),
  }),
  'thread.edited': Type.Object({ threadId: Type.Integer(), editorId: Type.Integer(), fields: Type.Array(Type.String()) }),
  'post.created': Type.Object({
    postId: Type.Integer(),
    threadId: Type.Integer(),
    communityId: Type.Integer(),
    authorId: Type.Integer(),
    replyToId: Type.Union([Type.Integer(), Type.Null()]),
    mentions: Type.Array(Type.String()),
  }),
  'post.edited': Type.Object({
    postId: Type.Integer(),
    threadId: Type.Integer(),
    editorId: Type.Integer(),
    revision: Type.Integer(),
    mentions: Type.Array(Type.String()),
  }),
  'post.hidden': Type.Object({ postId: Type.Integer(), threadId: Type.Integer(), by: Type.Integer(), hidden: Type.Boolean() }),
  'post.deleted': Type.Object({ postId: Type.Integer(), threadId: Type.Integer(), by: Type.Integer() }),
  'post.voted': Type.Object({ postId: Type.Integer(), threadId: Type.Integer(), userId: Type.Integer(), value: Type.Integer() }),
  'post.unvoted': Type.Object({ postId: Type.Integer(), threadId: Type.Integer(), userId: Type.Integer() }),
  'solution.accepted': Type.Object({
    threadId: Type.Integer(),
    postId: Type.Integer(),
    acceptedBy: Type.Integer(),
    previousPostId: Type.Union([Type.Integer(), Type.Null()]),
  }),
  'solution.unaccepted': Type.Object({ threadId: Type.Integer(), postId: Type.Integer(), by: Type.Integer() }),
  'notification.created': Type.Object({
    notificationId: Type.Integer(),
    userId: Type.Integer(),
    kind: Type.String(),
    threadId: Type.Integer(),
  }),
  'notification.read': Type.Object({ userId: Type.Integer() }),
  /** An expert was asked about a question (also a leader asked after the last round, with kind 'leader'). */
  'expert.matched': Type.Object({
    threadId: Type.Integer(),
    expertId: Type.Integer(),
    matchId: Type.Integer(),
    round: Type.Integer(),
    kind: Type.Union([Type.Literal('expert'), Type.Literal('leader')]),
  }),
  /** A matched expert declined; the next candidate is matched at once. */
  'expert.declined': Type.Object({
    threadId: Type.Integer(),
    expertId: Type.Integer(),
    matchId: Type.Integer(),
    reason: Type.Union([Type.Literal('not_my_area'), Type.Literal('no_time')]),
  }),
  /** A member changed their matching preferences (no side effect yet; kept for the audit trail). */
  'expertise.updated': Type.Object({ userId: Type.Integer() }),
  'guide.created': Type.Object({ guideId: Type.Integer(), communityId: Type.Integer(), by: Type.Integer() }),
  'guide.revised': Type.Object({ guideId: Type.Integer(), revision: Type.Integer(), by: Type.Integer() }),
  'guide.submitted': Type.Object({ guideId: Type.Integer(), by: Type.Integer() }),
  'guide.published': Type.Object({ guideId: Type.Integer(), by: Type.Integer() }),
  'guide.verified': Type.Object({ guideId: Type.Integer(), by: Type.Integer() }),
  /** The owner should verify or update the guide: its review date came, or similar questions keep arriving. */
  'guide.review-requested': Type.Object({
    guideId: Type.Integer(),
    ownerId: Type.Integer(),
    reason: Type.Union([Type.Literal('due'), Type.Literal('similar_questions')]),
  }),
  'post.flagged': Type.Object({
    flagId: Type.Integer(),
    postId: Type.Integer(),
    threadId: Type.Integer(),
    communityId: Type.Integer(),
    by: Type.Integer(),
  }),
  'flag.resolved': Type.Object({
    postId: Type.Integer(),
    threadId: Type.Integer(),
    communityId: Type.Integer(),
    resolution: Type.String(),
    by: Type.Integer(),
  }),
  /** A post held for approval (its post.created follows when a moderator approves it). */
  'post.held': Type.Object({ postId: Type.Integer(), threadId: Type.Integer(), communityId: Type.Integer(), authorId: Type.Integer() }),
  'thread.moderated': Type.Object({
    threadId: Type.Integer(),
    by: Type.Integer(),
    action: Type.Union([Type.Literal('lock'), Type.Literal('unlock'), Type.Literal('move'), Type.Literal('retag')]),
    fromCommunityId: Type.Optional(Type.Integer()),
    toCommunityId: Type.Optional(Type.Integer()),
  }),
  'user.suspended': Type.Object({
    userId: Type.Integer(),
    by: Type.Integer(),
    until: Type.Union([Type.String(), Type.Null()]),
    reason: Type.String(),
  }),
  'user.role-changed': Type.Object({
    userId: Type.Integer(),
    by: Type.Integer(),
    role: Type.String(),
    communityId: Type.Optional(Type.Integer()),
  }),
  /** A user signed out: one session, or every session ("sign out of all sessions"). Live connections of ended sessions close. */
  'session.ended': Type.Object({ userId: Type.Integer(), allSessions: Type.Boolean() }),
  /** A personal access token was revoked: live connections opened with it close. */
  'token.revoked': Type.Object({ userId: Type.Integer(), tokenId: Type.Integer() }),
  'trust.changed': Type.Object({ userId: Type.Integer(), from: Type.Integer(), to: Type.Integer() }),
  /** A member's reading stats moved (a day visited, threads and posts read): the worker recomputes their trust level, off the request path. */
  'user.activity-recorded': Type.Object({ userId: Type.Integer() }),
  'reindex.requested': Type.Object({ requestedBy: Type.Integer() }),
  'job.retried': Type.Object({ deadLetterId: Type.Integer(), by: Type.Integer() }),
} as const;

export type EventName = keyof typeof eventSchemas;
export type EventPayload<E extends EventName> = Static<(typeof eventSchemas)[E]>;
export const eventNames = Object.keys(eventSchemas) as EventName[];

export const isEventName = (value: string): value is EventName => Object.hasOwn(eventSchemas, value);

/**
 * What is wrong with an event's payload against its schema, one line per problem (empty when it fits).
 * The worker checks every payload with it in tests and development, where handlers read them.
 */
export function eventPayloadProblems(type: string, payload: unknown): string[] {
  if (!isEventName(type)) return [`"${type}" is not an event of the catalogue`];
  const schema = eventSchemas[type];
  if (Value.Check(schema, payload)) return [];
  return [...Value.Errors(schema, payload)].map((e) => `${type}${e.instancePath || ''}: ${e.message}`);
}
