import { VigilError } from '@vigil/errors';
import type { FastifyInstance } from '@vigil/http';

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
function bodyCost(headers: Readonly<Record<string, string | string[] | undefined>>, bodyLimitBytes: number): number {
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
