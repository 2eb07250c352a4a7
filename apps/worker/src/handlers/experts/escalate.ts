import { and, asc, eq, lte, matchRequests } from '@praxis/db';
import type { LadderDeps } from './ladder.js';
import { advanceLadder } from './ladder.js';

/** The scheduled sweep: every open question whose round ran out without an answer moves up its ladder. */
export async function escalateDueQuestions(deps: LadderDeps, batchSize = 100): Promise<number> {
  const due = await deps.db
    .select({ threadId: matchRequests.threadId })
    .from(matchRequests)
    .where(and(eq(matchRequests.state, 'open'), lte(matchRequests.nextEscalationAt, deps.clock.now())))
    .orderBy(asc(matchRequests.nextEscalationAt))
    .limit(batchSize);
  let moved = 0;
  for (const { threadId } of due) {
    const outcome = await advanceLadder(deps, threadId);
    if (outcome === 'matched' || outcome === 'leaders') moved += 1;
  }
  return moved;
}
