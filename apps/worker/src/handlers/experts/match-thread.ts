import { and, count, eq, loadMatchingSettings, lt, threads, users } from '@praxis/db';
import { isNewcomer, shouldMatchQuestion } from '@praxis/domain';
import { defineHandler } from '../../dispatch.js';
import { loadThreadContext } from '../notifications/write-notifications.js';
import { openMatchRequest } from './ladder.js';

/** A new question: decide whether it is matched (newcomers' always are), then ask round 1. */
export const matchThread = defineHandler('experts.match-thread', {
  queue: 'matching',
  async handle(event, deps) {
    const { threadId, kind } = event.payload;
    if (kind !== 'question') return 'skipped:not a question';
    const context = await loadThreadContext(deps.db, threadId);
    if (!context || context.thread.deletedAt || context.thread.authorId === null) return 'skipped:thread gone';
    const [asker] = await deps.db.select({ trustLevel: users.trustLevel }).from(users).where(eq(users.id, context.thread.authorId));
    const [earlier] = await deps.db
      .select({ n: count() })
      .from(threads)
      .where(
        and(
          eq(threads.communityId, context.community.id),
          eq(threads.authorId, context.thread.authorId),
          eq(threads.kind, 'question'),
          lt(threads.id, threadId),
        ),
      );
    const profile = { trustLevel: asker?.trustLevel ?? 0, earlierQuestions: earlier?.n ?? 0 };
    const { settings } = await loadMatchingSettings(deps.db, context.community.id);
    if (!shouldMatchQuestion(settings, kind, profile)) return 'skipped:community matches only newcomers';
    const outcome = await openMatchRequest(deps, context, isNewcomer(profile));
    return outcome === 'matched' || outcome === 'leaders' ? 'done' : `skipped:${outcome}`;
  },
});
