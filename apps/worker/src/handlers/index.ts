import type { EventHandler, HandlerId } from '../dispatch.js';
import { emailNotification } from './email/email-notification.js';
import { countSimilarQuestions } from './guides/freshness.js';
import { indexGuide } from './guides/index-guide.js';
import { notifyCredited } from './guides/notify-credited.js';
import { notifyReview } from './guides/notify-review.js';
import { matchThread } from './experts/match-thread.js';
import { recordAnswer } from './experts/record-answer.js';
import { replaceDeclined } from './experts/replace-declined.js';
import { updateExpertStats } from './experts/update-stats.js';
import { retryJob } from './maintenance/retry-job.js';
import { notifyPost } from './notifications/notify-post.js';
import { notifySolved } from './notifications/notify-solved.js';
import { publishEvent } from './realtime/publish-event.js';
import { indexThread } from './search/index-thread.js';
import { updateTrust } from './trust/update-trust.js';
import { notifyModeration } from './notifications/notify-moderation.js';
import { reindexAll } from './search/reindex-all.js';

/** Every event handler by id; the dispatch table in dispatch.ts says which events start them. */
export const eventHandlers: Record<HandlerId, EventHandler> = {
  'search.index-thread': indexThread,
  'search.reindex-all': reindexAll,
  'notify.post': notifyPost,
  'notify.solved': notifySolved,
  'realtime.publish': publishEvent,
  'email.notification': emailNotification,
  'maintenance.retry-job': retryJob,
  'experts.match-thread': matchThread,
  'experts.record-answer': recordAnswer,
  'experts.replace-declined': replaceDeclined,
  'experts.update-stats': updateExpertStats,
  'search.index-guide': indexGuide,
  'guides.notify-credited': notifyCredited,
  'guides.notify-review': notifyReview,
  'guides.count-similar': countSimilarQuestions,
  'trust.update': updateTrust,
  'notify.moderation': notifyModeration,
};
