import type { EventHandler, HandlerId } from '../dispatch.js';
import { emailNotification } from './email/email-notification.js';
import { retryJob } from './maintenance/retry-job.js';
import { notifyPost } from './notifications/notify-post.js';
import { notifySolved } from './notifications/notify-solved.js';
import { publishEvent } from './realtime/publish-event.js';
import { indexThread } from './search/index-thread.js';
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
};
