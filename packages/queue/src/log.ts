import type { FailedJob } from './types.js';
export type Log = (message: string, meta?: Record<string, unknown>) => void;

export const warn: Log = (message, meta) => console.warn(message, meta ?? {});

/** Logs each distinct message at most once per `everyMs`, so a Redis outage does not flood the log. */
export function rateLimited(log: Log, everyMs = 10_000): Log {
  const lastLoggedAt = new Map<string, number>();
  return (message, meta) => {
    const now = Date.now();
    const last = lastLoggedAt.get(message);
    if (last !== undefined && now - last < everyMs) return;
    lastLoggedAt.set(message, now);
    log(message, meta);
  };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Calls every final-failure listener in turn; one that throws is logged and does not stop the others. */
export async function notifyListeners(
  listeners: readonly ((failed: FailedJob) => void | Promise<void>)[],
  failed: FailedJob,
  log: Log,
): Promise<void> {
  for (const listener of listeners) {
    try {
      await listener(failed);
    } catch (error) {
      log('queue: an onFinalFailure listener threw', { queue: failed.queue, jobId: failed.jobId, error: errorMessage(error) });
    }
  }
}
