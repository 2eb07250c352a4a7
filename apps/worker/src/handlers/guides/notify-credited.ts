import { defineHandler } from '../../dispatch.js';
import { loadGuideContext, writeGuideNotifications } from './write-guide-notifications.js';

/** On publish, every credited author hears that a guide credits their answer (once per guide). */
export const notifyCredited = defineHandler('guides.notify-credited', {
  queue: 'notify',
  async handle(event, deps) {
    const { guideId, by } = event.payload;
    const context = await loadGuideContext(deps.db, guideId);
    if (!context || context.guide.status !== 'published') return 'skipped:guide not published';
    const authors = [...new Set(context.sources.map((s) => s.authorId).filter((id): id is number => id !== null && id !== by))];
    const written = await writeGuideNotifications(
      deps,
      context,
      authors.map((userId) => ({ userId, kind: 'guide_credited' as const, dedupeKey: `guide_credited:${guideId}`, data: {} })),
      by,
    );
    return written > 0 ? 'done' : 'skipped:nobody to credit';
  },
});
