import type { EventHandler, OutboxEvent } from '../../dispatch.js';
import { replaceDeclinedMatch } from './ladder.js';

/** "Not my area" or "no time now": the next candidate is asked at once. */
export const replaceDeclined: EventHandler = {
  queue: 'matching',
  async handle(event, deps) {
    const { threadId, matchId } = (event as OutboxEvent<'expert.declined'>).payload;
    return (await replaceDeclinedMatch(deps, threadId, matchId)) ? 'done' : 'skipped:no stand-in needed or found';
  },
};
