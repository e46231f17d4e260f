import rateLimit, { type RateLimitPluginOptions } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { VigilError } from '@vigil/errors';

const WINDOW_MS = 60_000;

export interface RateLimitRule {
  /** Requests per key per minute. */
  readonly perMinute: number;
  /** Shared Redis client: every replica counts in the same window. */
  readonly redis: RateLimitPluginOptions['redis'];
  /** Key prefix in Redis; each limit needs its own so their counters never mix. */
  readonly nameSpace: string;
  /**
   * `onRequest` counts before anything else runs (client addresses); `preHandler` runs after
   * the scope's own preHandlers, i.e. after authentication, so it can key on the token.
   */
  readonly hook: 'onRequest' | 'preHandler';
  /** The counter's key; the client address when absent. */
  readonly key?: (request: FastifyRequest) => string;
  /** Requests that are never counted (health checks, unauthenticated documents). */
  readonly exempt?: (request: FastifyRequest) => boolean;
}

/**
 * A fixed-window request limit counted in Redis, answered with 429 RATE_LIMITED and
 * Retry-After (the window's remaining seconds). Applies to every route registered in
 * `scope` after this call. A Redis outage lets requests through: availability of the API
 * is worth more than the limit, which protects it from one noisy caller, not from outages.
 */
export async function limitRate(scope: FastifyInstance, rule: RateLimitRule): Promise<void> {
  await scope.register(rateLimit, {
    global: true,
    hook: rule.hook,
    max: rule.perMinute,
    timeWindow: WINDOW_MS,
    redis: rule.redis,
    nameSpace: rule.nameSpace,
    skipOnError: true,
    ...(rule.key !== undefined ? { keyGenerator: rule.key } : {}),
    ...(rule.exempt !== undefined ? { allowList: rule.exempt } : {}),
    errorResponseBuilder: (_request, context) =>
      new VigilError('RATE_LIMITED', 'rate limit exceeded; retry after the Retry-After delay', { retryAfterSeconds: Math.max(1, Math.ceil((context.ttl || WINDOW_MS) / 1000)) }),
  });
}
