import { VigilError } from '@vigil/errors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from '@vigil/http';

export interface AdmissionLimits {
  /** Requests served at once. */
  readonly maxRequests: number;
  /** Declared body bytes being served at once: what the CPU-bound work scales with. */
  readonly maxBodyBytes: number;
}

/**
 * Shed load at the door, before the body is read: past `maxRequests` requests or
 * `maxBodyBytes` of bodies in flight, answer 503 at once instead of queueing behind the
 * event loop. The gateway is CPU-bound on parsing and mapping; every admitted batch
 * stretches the event-loop turns in which new requests (even ones about to be shed)
 * wait, so a bound on requests alone let a few hundred large batches push answers past
 * 10 s (docs/benchmarks.md). Bounding bytes keeps that wait short while still letting
 * many small requests (mostly waiting on Kafka acks) through.
 *
 * A chunked body (no Content-Length) is charged the body limit: its size is unknown
 * until read, and the body limit is what it may grow to. A request with neither has no
 * body and costs nothing. One request is always
 * admitted when nothing else is in flight, so no size is starved by the budget.
 */
export function bodyCost(headers: Readonly<Record<string, string | string[] | undefined>>, bodyLimitBytes: number): number {
  const declared = Number(headers['content-length']);
  if (headers['content-length'] !== undefined && Number.isSafeInteger(declared) && declared >= 0) return Math.min(declared, bodyLimitBytes);
  return headers['transfer-encoding'] === undefined ? 0 : bodyLimitBytes;
}

export function limitConcurrency(app: FastifyInstance, limits: AdmissionLimits, bodyLimitBytes: number, isLimited: (url: string) => boolean): { active(): number; bytes(): number } {
  let active = 0;
  let bytes = 0;
  app.addHook('onRequest', async (request, reply) => {
    if (!isLimited(request.url)) return;
    const cost = bodyCost(request.headers, bodyLimitBytes);
    if (active >= limits.maxRequests || (active > 0 && bytes + cost > limits.maxBodyBytes)) {
      throw new VigilError('OVERLOADED', 'the gateway is at capacity; retry after the Retry-After delay', { retryAfterSeconds: 1 });
    }
    active++;
    bytes += cost;
    // 'close' fires once the response is finished or the connection dropped.
    reply.raw.once('close', () => {
      active--;
      bytes -= cost;
    });
  });
  return { active: () => active, bytes: () => bytes };
}

/**
 * The same bound per tenant, checked once the token named the tenant (still before the
 * body is read): one tenant's flood fills its own share, not the whole gateway, so the
 * others keep getting in. A tenant with nothing in flight is always let in. Answered 429
 * (it is this tenant's own load) with Retry-After: 1, before the tenant's rate limit
 * counts the request.
 */
export function limitTenantShare(maxBodyBytes: number, bodyLimitBytes: number, tenantOf: (request: FastifyRequest) => string): { hook(request: FastifyRequest, reply: FastifyReply): Promise<void>; held(tenant: string): number } {
  // Only tenants with a request in flight have an entry, so the map stays small.
  const held = new Map<string, number>();
  return {
    async hook(request, reply) {
      const tenant = tenantOf(request);
      const cost = bodyCost(request.headers, bodyLimitBytes);
      const current = held.get(tenant) ?? 0;
      if (current > 0 && current + cost > maxBodyBytes) {
        throw new VigilError('RATE_LIMITED', "this tenant's requests in flight are at its share of the gateway; retry after the Retry-After delay", { retryAfterSeconds: 1 });
      }
      held.set(tenant, current + cost);
      reply.raw.once('close', () => {
        const left = (held.get(tenant) ?? 0) - cost;
        if (left > 0) held.set(tenant, left);
        else held.delete(tenant);
      });
    },
    held: (tenant) => held.get(tenant) ?? 0,
  };
}
