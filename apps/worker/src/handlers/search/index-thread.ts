import { defineHandler } from '../../dispatch.js';
import { indexThreads } from './thread-document.js';

/** Re-indexes the thread an event touched. Idempotent: the document is rebuilt from the database each time. */
export const indexThread = defineHandler('search.index-thread', {
  queue: 'search',
  async handle(event, deps) {
    const { threadId } = event.payload;
    const result = await indexThreads(deps, [threadId]);
    return result.indexed + result.removed > 0 ? 'done' : 'skipped:thread not found';
  },
});
