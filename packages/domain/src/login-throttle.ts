/**
 * Per-account sign-in throttling: a delay after each failure that doubles with consecutive failures, so guessing
 * one account's password stays slow from any number of addresses, yet an attacker can only ever make its owner
 * wait (at most MAX_DELAY_MS), never lock them out. A success resets it.
 */
export const FREE_FAILURES = 5;
export const FIRST_DELAY_MS = 1_000;
export const MAX_DELAY_MS = 15 * 60_000;

export interface LoginFailures {
  /** Consecutive failed sign-ins since the last success. */
  count: number;
  lastFailureAt: number;
}

/** How long to wait after the last of `count` consecutive failures before the next attempt is heard. */
export function loginDelayMs(count: number): number {
  if (count < FREE_FAILURES) return 0;
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(count - FREE_FAILURES, 30));
}

/** Milliseconds until the account may try again (0: now). */
export function loginRetryAfterMs(failures: LoginFailures | null, now: number): number {
  if (!failures) return 0;
  return Math.max(0, failures.lastFailureAt + loginDelayMs(failures.count) - now);
}
