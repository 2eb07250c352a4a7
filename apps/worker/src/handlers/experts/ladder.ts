import {
  and,
  appendEvent,
  eq,
  expertMatches,
  inArray,
  loadMatchingSettings,
  loadViewers,
  matchRequests,
  memberships,
  ne,
  posts,
  sql,
  threadRef,
  type Db,
  replyVisibleToAll,
} from '@praxis/db';
import { can, nextLadderStep, rankExperts, type RankedExpert } from '@praxis/domain';
import type { SearchIndex } from '@praxis/search';
import { insertNotification, loadThreadContext, type ThreadContext } from '../notifications/write-notifications.js';
import { loadMatchingInputs } from './candidates.js';

export interface LadderDeps {
  db: Db;
  search: SearchIndex;
  clock: { now(): Date };
}

export type LadderOutcome = 'matched' | 'leaders' | 'answered' | 'ended' | 'not_due' | 'raced' | 'gone';

/** Someone other than the asker has a visible reply on the thread. */
async function isAnswered(db: Db, context: ThreadContext): Promise<boolean> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(posts)
    .where(
      and(
        eq(posts.threadId, context.thread.id),
        replyVisibleToAll,
        context.thread.authorId === null ? sql`true` : ne(posts.authorId, context.thread.authorId),
      ),
    );
  return (row?.n ?? 0) > 0;
}

interface MatchToWrite {
  expertId: number;
  rank: number;
  round: number;
  kind: 'expert' | 'leader';
  score: number;
  reasons: string[];
  signals: Record<string, number>;
  replacesMatchId?: number;
}

/**
 * Writes matches with their notification and events in one transaction. A match that exists already
 * (the same expert for the same question, or a second stand-in for one decline) writes nothing.
 */
async function writeMatches(tx: Db, context: ThreadContext, matches: MatchToWrite[], now: Date): Promise<number> {
  let written = 0;
  for (const match of matches) {
    const [row] = await tx
      .insert(expertMatches)
      .values({
        threadId: context.thread.id,
        expertId: match.expertId,
        round: match.round,
        kind: match.kind,
        rank: match.rank,
        score: Math.round(match.score * 1000),
        reasons: match.reasons,
        signals: match.signals,
        notifiedAt: now,
        replacesMatchId: match.replacesMatchId ?? null,
      })
      .onConflictDoNothing()
      .returning({ id: expertMatches.id });
    if (!row) continue;
    written += 1;
    await insertNotification(tx, {
      userId: match.expertId,
      kind: match.kind === 'expert' ? 'expert_match' : 'expert_escalation',
      communityId: context.community.id,
      threadId: context.thread.id,
      postId: null,
      actorId: context.thread.authorId,
      dedupeKey: `match:${context.thread.id}`,
      data: { reason: match.reasons[0] ?? '', reasons: match.reasons, round: match.round, matchId: row.id },
    });
    await appendEvent(
      tx,
      'expert.matched',
      context.thread.id,
      { threadId: context.thread.id, expertId: match.expertId, matchId: row.id, round: match.round, kind: match.kind },
      null,
    );
  }
  return written;
}

const toMatch = (expert: RankedExpert, index: number, round: number): MatchToWrite => ({
  expertId: expert.userId,
  rank: index + 1,
  round,
  kind: 'expert',
  score: expert.score,
  reasons: expert.reasons,
  signals: expert.signals,
});

/** Ranks the candidates for this question now; those already asked are excluded by the ranking. */
async function shortlist(deps: LadderDeps, context: ThreadContext, limit: number, now: Date): Promise<RankedExpert[]> {
  const inputs = await loadMatchingInputs(deps, context, now);
  return rankExperts(inputs.question, inputs.candidates, { now: now.getTime(), limit, totals: inputs.totals, model: inputs.model })
    .shortlist;
}

/** Leaders and moderators of the community who can read the thread, except the asker. */
async function leadersOf(db: Db, context: ThreadContext, now: Date): Promise<number[]> {
  const rows = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.communityId, context.community.id), inArray(memberships.role, ['leader', 'moderator'])));
  const ids = rows.map((r) => r.userId).filter((id) => id !== context.thread.authorId);
  const viewers = await loadViewers(db, ids, now);
  const ref = threadRef(context.thread, context.community);
  return ids.filter((id) => {
    const viewer = viewers.get(id);
    return viewer !== undefined && !viewer.suspended && can(viewer, 'thread.read', ref);
  });
}

/**
 * Takes the question one step up its ladder if that step is due: the next round of experts, or the
 * leaders after the last round; nothing once answered. The request row is locked and its round
 * re-read inside the write, so a retried job or a concurrent sweep never runs a round twice.
 */
export async function advanceLadder(deps: LadderDeps, threadId: number): Promise<LadderOutcome> {
  const context = await loadThreadContext(deps.db, threadId);
  if (!context || context.thread.deletedAt) return 'gone';
  const [request] = await deps.db.select().from(matchRequests).where(eq(matchRequests.threadId, threadId));
  if (!request) return 'gone';
  const { settings } = await loadMatchingSettings(deps.db, context.community.id);
  const now = deps.clock.now();
  const answered = await isAnswered(deps.db, context);
  const ladder = {
    round: request.round,
    state: request.state,
    newcomer: request.newcomer,
    nextEscalationAt: request.nextEscalationAt?.getTime() ?? null,
  };
  let step = nextLadderStep(ladder, settings, { answered }, now.getTime());

  if (step.kind === 'stop') {
    if (step.reason === 'answered' && request.state === 'open') {
      await deps.db
        .update(matchRequests)
        .set({ state: 'answered', nextEscalationAt: null, updatedAt: now })
        .where(eq(matchRequests.threadId, threadId));
    }
    return step.reason;
  }

  // A round that finds nobody new moves straight on, so a question nobody can take reaches the leaders at once.
  let experts: RankedExpert[] = [];
  while (step.kind === 'experts') {
    experts = await shortlist(deps, context, step.count, now);
    if (experts.length > 0) break;
    step = nextLadderStep({ ...ladder, round: step.round, nextEscalationAt: now.getTime() }, settings, { answered }, now.getTime());
  }
  const leaders = step.kind === 'leaders' ? await leadersOf(deps.db, context, now) : [];

  return deps.db.transaction(async (tx) => {
    const [locked] = await tx.select().from(matchRequests).where(eq(matchRequests.threadId, threadId)).for('update');
    if (!locked || locked.round !== request.round || locked.state !== 'open') return 'raced';
    if (step.kind === 'experts') {
      await writeMatches(
        tx,
        context,
        experts.map((expert, i) => toMatch(expert, i, step.round)),
        now,
      );
      // The previous round's silent matches are over; their experts may still answer.
      await tx
        .update(expertMatches)
        .set({ state: 'expired' })
        .where(
          and(
            eq(expertMatches.threadId, threadId),
            sql`${expertMatches.round} < ${step.round}`,
            inArray(expertMatches.state, ['notified', 'seen']),
          ),
        );
      await tx
        .update(matchRequests)
        .set({ round: step.round, nextEscalationAt: new Date(step.nextEscalationAt), updatedAt: now })
        .where(eq(matchRequests.threadId, threadId));
      return 'matched';
    }
    if (step.kind === 'leaders') {
      const matches = leaders.map((id, i): MatchToWrite => ({
        expertId: id,
        rank: i + 1,
        round: step.round,
        kind: 'leader',
        score: 0,
        reasons: ['you lead this community, and the members asked so far have not answered'],
        signals: {},
      }));
      await writeMatches(tx, context, matches, now);
      await tx
        .update(matchRequests)
        .set({ round: step.round, state: leaders.length > 0 ? 'leaders' : 'exhausted', nextEscalationAt: null, updatedAt: now })
        .where(eq(matchRequests.threadId, threadId));
      return 'leaders';
    }
    return 'ended';
  });
}

/** A matched expert declined: the best candidate not yet asked stands in for them, in the same round. */
export async function replaceDeclinedMatch(deps: LadderDeps, threadId: number, declinedMatchId: number): Promise<boolean> {
  const context = await loadThreadContext(deps.db, threadId);
  if (!context || context.thread.deletedAt || context.thread.status !== 'open') return false;
  const [declined] = await deps.db.select().from(expertMatches).where(eq(expertMatches.id, declinedMatchId));
  const [request] = await deps.db.select().from(matchRequests).where(eq(matchRequests.threadId, threadId));
  if (!declined || declined.kind !== 'expert' || !request || request.state !== 'open') return false;
  if (await isAnswered(deps.db, context)) return false;
  const now = deps.clock.now();
  const [next] = await shortlist(deps, context, 1, now);
  if (!next) return false;
  const written = await deps.db.transaction((tx) =>
    writeMatches(tx, context, [{ ...toMatch(next, 0, declined.round), rank: declined.rank, replacesMatchId: declined.id }], now),
  );
  return written > 0;
}

/** Starts the ladder of a new question: records the request, then runs round 1 right away. */
export async function openMatchRequest(deps: LadderDeps, context: ThreadContext, newcomer: boolean): Promise<LadderOutcome> {
  await deps.db
    .insert(matchRequests)
    .values({ threadId: context.thread.id, communityId: context.community.id, newcomer })
    .onConflictDoNothing();
  return advanceLadder(deps, context.thread.id);
}
