import { defineHandler } from '../../dispatch.js';
import { indexGuides } from './guide-index.js';

/** Re-indexes the guide an event touched: published → upsert, anything else → removed. */
export const indexGuide = defineHandler('search.index-guide', {
  queue: 'search',
  async handle(event, deps) {
    if (!deps.guideSearch) return 'skipped:no guide index';
    const { guideId } = event.payload;
    const result = await indexGuides(deps, [guideId]);
    return result.indexed + result.removed > 0 ? 'done' : 'skipped:guide not found';
  },
});
