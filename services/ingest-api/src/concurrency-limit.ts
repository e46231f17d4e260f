import { VigilError } from '@vigil/errors';
import type { FastifyInstance } from '@vigil/http';

/**
 * Shed load at the door: past `max` requests being served at once, answer 503 at
 * once instead of queueing behind the event loop. Without this an overloaded gateway
 * accepts every connection, parses every body, and its latency and memory grow with
 * the number of clients; the producer queue limit alone comes too late.
 */
export function limitConcurrency(app: FastifyInstance, max: number, isLimited: (url: string) => boolean): { active(): number } {
  let active = 0;
  app.addHook('onRequest', async (request, reply) => {
    if (!isLimited(request.url)) return;
    if (active >= max) throw new VigilError('OVERLOADED', 'the gateway is at capacity; retry after the Retry-After delay', { retryAfterSeconds: 1 });
    active++;
    // 'close' fires once the response is finished or the connection dropped.
    reply.raw.once('close', () => {
      active--;
    });
  });
  return { active: () => active };
}
