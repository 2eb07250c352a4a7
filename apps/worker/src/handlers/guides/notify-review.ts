import { defineHandler } from '../../dispatch.js';
import { loadGuideContext, writeGuideNotifications } from './write-guide-notifications.js';

/** The owner is asked to verify or update the guide; one notification per request (the event id is in the key). */
export const notifyReview = defineHandler('guides.notify-review', {
  queue: 'notify',
  async handle(event, deps) {
    const { guideId, ownerId, reason } = event.payload;
    const context = await loadGuideContext(deps.db, guideId);
    if (!context || context.guide.status !== 'published') return 'skipped:guide not published';
    const written = await writeGuideNotifications(
      deps,
      context,
      [{ userId: ownerId, kind: 'guide_review', dedupeKey: `guide_review:${guideId}:${event.id}`, data: { reason } }],
      null,
    );
    return written > 0 ? 'done' : 'skipped:owner may not read it';
  },
});
