import { createHash } from 'node:crypto';
import { AppError } from '@praxis/contracts';
import { loginRetryAfterMs, MAX_DELAY_MS, type LoginFailures } from '@praxis/domain';
import type { Redis } from 'ioredis';

/** Consecutive failed sign-ins per account: in Redis when distributed (every API node counts together), in-process otherwise. */
export interface LoginFailureStore {
  get(account: string): Promise<LoginFailures | null>;
  recordFailure(account: string, now: number): Promise<void>;
  reset(account: string): Promise<void>;
}

/** Failures older than the longest delay plus this are forgotten: a long-quiet account starts afresh. */
const FORGET_AFTER_MS = MAX_DELAY_MS + 24 * 3_600_000;
const MEMORY_LIMIT = 100_000;

export function memoryLoginFailureStore(): LoginFailureStore {
  const failures = new Map<string, LoginFailures>();
  return {
    async get(account) {
      return failures.get(account) ?? null;
    },
    async recordFailure(account, now) {
      const count = (failures.get(account)?.count ?? 0) + 1;
      failures.delete(account);
      failures.set(account, { count, lastFailureAt: now });
      // Bounded: the oldest entries (a Map keeps insertion order) go first; a flood of made-up logins cannot exhaust memory.
      if (failures.size > MEMORY_LIMIT) failures.delete(failures.keys().next().value as string);
    },
    async reset(account) {
      failures.delete(account);
    },
  };
}

export function redisLoginFailureStore(redis: Redis, prefix: string): LoginFailureStore {
  const key = (account: string) => `${prefix}login-failures:${account}`;
  return {
    async get(account) {
      const [count, last] = await redis.hmget(key(account), 'count', 'last');
      if (!count || !last) return null;
      return { count: Number(count), lastFailureAt: Number(last) };
    },
    async recordFailure(account, now) {
      await redis
        .multi()
        .hincrby(key(account), 'count', 1)
        .hset(key(account), 'last', String(now))
        .pexpire(key(account), FORGET_AFTER_MS)
        .exec();
    },
    async reset(account) {
      await redis.del(key(account));
    },
  };
}

/** The throttle's key: the account's id when it exists, else the login typed (hashed), so unknown accounts throttle alike. */
export function accountKey(userId: number | null, login: string): string {
  return userId !== null ? `user:${userId}` : `login:${createHash('sha256').update(login.toLowerCase()).digest('hex')}`;
}

export interface LoginThrottle {
  /** Throws LOGIN_THROTTLED (429, with the seconds to wait) while the account's delay runs. */
  check(account: string, now: Date): Promise<void>;
  failed(account: string, now: Date): Promise<void>;
  succeeded(account: string): Promise<void>;
}

export class LoginThrottled extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(
      'LOGIN_THROTTLED',
      `Too many failed sign-ins for this account: wait ${retryAfterSeconds} s before trying again. The wait grows with each failed attempt and ends with a successful sign-in.`,
    );
  }
}

/** A store that fails (Redis down) does not stop people signing in: the per-address limit still applies. */
export function createLoginThrottle(store: LoginFailureStore, log: { warn(details: object, message: string): void }): LoginThrottle {
  const tolerant = async <T>(what: string, run: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      log.warn({ err: error }, `login throttle: could not ${what}; going on without it`);
      return fallback;
    }
  };
  return {
    async check(account, now) {
      const failures = await tolerant('read failures', () => store.get(account), null);
      const waitMs = loginRetryAfterMs(failures, now.getTime());
      if (waitMs > 0) throw new LoginThrottled(Math.ceil(waitMs / 1000));
    },
    failed: (account, now) => tolerant('record a failure', () => store.recordFailure(account, now.getTime()), undefined),
    succeeded: (account) => tolerant('reset failures', () => store.reset(account), undefined),
  };
}
