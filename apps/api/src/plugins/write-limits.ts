import { AppError } from '@praxis/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** How many more writes an address gets than one person: several people can share an address (an office, a NAT). */
export const IP_WRITE_FACTOR = 5;

interface LimitResult {
  isAllowed: boolean;
  isExceeded: boolean;
  ttlInSeconds: number;
  max: number;
}
type Limiter = (request: FastifyRequest) => Promise<LimitResult>;

/**
 * Rate limits on writes (every non-GET under /api/v1 except sign-in and sign-up, which have their own):
 * per signed-in user (WRITE_RATE_LIMIT a minute) and per client address (IP_WRITE_FACTOR times that).
 * The counters live in @fastify/rate-limit's store: Redis when REDIS_URL is set (so every API node
 * counts together), in-process otherwise. Refusals are 429 RATE_LIMITED problems with Retry-After.
 */
export function registerWriteLimits(app: FastifyInstance): void {
  const { max, windowMs } = app.config.writeRateLimit;
  const create = (app as unknown as { createRateLimit(options: object): Limiter }).createRateLimit;
  const perUser = create({ max, timeWindow: windowMs, keyGenerator: (request: FastifyRequest) => `write-user:${request.viewer?.id ?? 0}` });
  const perIp = create({
    max: max * IP_WRITE_FACTOR,
    timeWindow: windowMs,
    keyGenerator: (request: FastifyRequest) => `write-ip:${request.ip}`,
  });

  app.addHook('preHandler', async (request, reply) => {
    if (SAFE_METHODS.has(request.method) || !request.url.startsWith('/api/v1/') || request.url.startsWith('/api/v1/auth/')) return;
    const results = [...(request.viewer ? [await perUser(request)] : []), await perIp(request)];
    const hit = results.find((r) => !r.isAllowed && r.isExceeded);
    if (!hit) return;
    reply.header('retry-after', String(hit.ttlInSeconds));
    throw new AppError(
      'RATE_LIMITED',
      `Too many changes in a short time: at most ${hit.max} a minute. Try again in ${hit.ttlInSeconds} s.`,
    );
  });
}
