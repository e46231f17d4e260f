import { VigilError } from '@vigil/errors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from '@vigil/http';

export interface AdmissionLimits {
  /** Requests served at once. */
  readonly maxRequests: number;
  /** Declared body bytes being served at once: what the CPU-bound work scales with. */
  readonly maxBodyBytes: number;
}

/**
 * What a request is charged before its body is read: its Content-Length (capped at the
 * body limit). A chunked body is charged the body limit, since that is what it may grow
 * to; a request with neither header has no body and costs nothing.
 */
export function bodyCost(headers: Readonly<Record<string, string | string[] | undefined>>, bodyLimitBytes: number): number {
  const declared = Number(headers['content-length']);
  if (headers['content-length'] !== undefined && Number.isSafeInteger(declared) && declared >= 0) return Math.min(declared, bodyLimitBytes);
  return headers['transfer-encoding'] === undefined ? 0 : bodyLimitBytes;
}

/**
 * Body bytes in flight per key, given back when the response closes. A key with nothing
 * in flight is always let in, so a body larger than the budget is served (alone) rather
 * than refused for ever.
 */
function createByteBudget(maxBytes: number) {
  // Only keys with a request in flight have an entry, so the map stays small.
  const held = new Map<string, number>();
  const give = (key: string, cost: number) => {
    const left = (held.get(key) ?? 0) - cost;
    if (left > 0) held.set(key, left);
    else held.delete(key);
  };
  return {
    /** Take `cost` for this request, or say no; given back when `reply` closes. */
    take(key: string, cost: number, reply: FastifyReply): boolean {
      const current = held.get(key) ?? 0;
      if (current > 0 && current + cost > maxBytes) return false;
      held.set(key, current + cost);
      // 'close' fires once the response is finished or the connection dropped.
      reply.raw.once('close', () => give(key, cost));
      return true;
    },
    held: (key: string) => held.get(key) ?? 0,
  };
}

/**
 * Shed load at the door, before the body is read: past `maxRequests` requests or
 * `maxBodyBytes` of bodies in flight, answer 503 at once instead of queueing behind the
 * event loop. The gateway is CPU-bound on parsing and mapping; every admitted batch
 * stretches the event-loop turns in which new requests (even ones about to be shed)
 * wait, so a bound on requests alone let a few hundred large batches push answers past
 * 10 s (docs/benchmarks.md). Bounding bytes keeps that wait short while still letting
 * many small requests (mostly waiting on Kafka acks) through.
 */
export function limitConcurrency(app: FastifyInstance, limits: AdmissionLimits, bodyLimitBytes: number, isLimited: (url: string) => boolean): { active(): number; bytes(): number } {
  let active = 0;
  const budget = createByteBudget(limits.maxBodyBytes);
  app.addHook('onRequest', async (request, reply) => {
    if (!isLimited(request.url)) return;
    if (active >= limits.maxRequests || !budget.take('', bodyCost(request.headers, bodyLimitBytes), reply)) {
      throw new VigilError('OVERLOADED', 'the gateway is at capacity; retry after the Retry-After delay', { retryAfterSeconds: 1 });
    }
    active++;
    reply.raw.once('close', () => {
      active--;
    });
  });
  return { active: () => active, bytes: () => budget.held('') };
}

/**
 * The same byte bound per tenant, checked once the token named the tenant (still before
 * the body is read): one tenant's flood fills its own share, not the whole gateway, so
 * the others keep getting in. Answered 429 (it is this tenant's own load) with
 * Retry-After: 1, before the tenant's rate limit counts the request.
 */
export function limitTenantShare(maxBodyBytes: number, bodyLimitBytes: number, tenantOf: (request: FastifyRequest) => string): { hook(request: FastifyRequest, reply: FastifyReply): Promise<void>; held(tenant: string): number } {
  const budget = createByteBudget(maxBodyBytes);
  return {
    async hook(request, reply) {
      if (!budget.take(tenantOf(request), bodyCost(request.headers, bodyLimitBytes), reply)) {
        throw new VigilError('RATE_LIMITED', "this tenant's requests in flight are at its share of the gateway; retry after the Retry-After delay", { retryAfterSeconds: 1 });
      }
    },
    held: budget.held,
  };
}
