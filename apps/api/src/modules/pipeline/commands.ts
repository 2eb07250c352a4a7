import { appendEvent } from '@praxis/db';
import type { Deps } from '../../context.js';

/** Ask the worker to run a dead letter's job again. */
export async function requestRetry(deps: Deps, deadLetterId: number, by: number): Promise<void> {
  await deps.db.transaction((tx) => appendEvent(tx, 'job.retried', deadLetterId, { deadLetterId, by }, by));
}

/** Ask the worker to rebuild the search index. */
export async function requestReindex(deps: Deps, by: number): Promise<void> {
  await deps.db.transaction((tx) => appendEvent(tx, 'reindex.requested', 0, { requestedBy: by }, by));
}
