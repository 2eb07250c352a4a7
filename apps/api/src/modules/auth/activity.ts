import { appendEvent, countVisit, eq, users } from '@praxis/db';
import type { FastifyBaseLogger } from 'fastify';
import type { Deps } from '../../context.js';
import type { UserRow } from './load-viewer.js';

const MINUTE = 60_000;
const dayOf = (date: Date) => date.toISOString().slice(0, 10);

/**
 * "Last seen" (to the minute; it decides whether notifications are emailed) and the day's visit (trust levels), recorded
 * off the request path: a signed-in read never writes. Requests note who was seen; a flush every few seconds writes
 * them in one transaction, with `user.activity-recorded` for a new day's visit (the worker recomputes the level).
 * Flushed on close; a crash loses at most the last interval, and the next request after a restart records it again.
 */
export class ActivityRecorder {
  private pending = new Map<number, Date>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: Deps,
    private readonly log: FastifyBaseLogger,
    private readonly everyMs = 5_000,
  ) {}

  /** Notes a request by `user` at `now` (their cached row is updated, so the minute is not noted twice). */
  seen(user: UserRow, now: Date): void {
    const last = user.lastSeenAt;
    if (last && now.getTime() - last.getTime() < MINUTE && dayOf(last) === dayOf(now)) return;
    user.lastSeenAt = now;
    this.pending.set(user.id, now);
    this.timer ??= setTimeout(() => void this.flush(), this.everyMs).unref();
  }

  /** Writes what was noted so far (also what tests call instead of waiting for the interval). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = new Map();
    this.flushing = this.flushing.then(() => this.write(batch));
    return this.flushing;
  }

  private async write(batch: Map<number, Date>): Promise<void> {
    if (batch.size === 0) return;
    try {
      await this.deps.db.transaction(async (tx) => {
        for (const [userId, at] of batch) {
          await tx.update(users).set({ lastSeenAt: at }).where(eq(users.id, userId));
          if (await countVisit(tx, userId, at)) await appendEvent(tx, 'user.activity-recorded', userId, { userId }, userId);
        }
      });
    } catch (error) {
      this.log.warn({ err: error, users: batch.size }, 'could not record last-seen times; they are noted again on the next requests');
    }
  }
}
