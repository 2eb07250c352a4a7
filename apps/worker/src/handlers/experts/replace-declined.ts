import { defineHandler } from '../../dispatch.js';
import { replaceDeclinedMatch } from './ladder.js';

/** "Not my area" or "no time now": the next candidate is asked at once. */
export const replaceDeclined = defineHandler('experts.replace-declined', {
  queue: 'matching',
  async handle(event, deps) {
    const { threadId, matchId } = event.payload;
    return (await replaceDeclinedMatch(deps, threadId, matchId)) ? 'done' : 'skipped:no stand-in needed or found';
  },
});
