import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { isVigilError } from '@vigil/errors';
import { limitConcurrency, type AdmissionLimits } from './concurrency-limit.ts';

/** A server whose /v1/slow requests stay in flight until the test opens their gates. */
async function gatedServer(limits: AdmissionLimits, bodyLimitBytes: number) {
  const app = Fastify();
  const limit = limitConcurrency(app, limits, bodyLimitBytes, (url) => url.startsWith('/v1/'));
  app.setErrorHandler((err, _req, reply) => void reply.status(isVigilError(err) ? err.status : 500).send({ code: isVigilError(err) ? err.code : 'X' }));
  const gates: Array<() => void> = [];
  const slow = () => new Promise((resolve) => gates.push(() => resolve({ ok: true })));
  app.get('/v1/slow', slow);
  app.post('/v1/slow', slow);
  app.get('/healthz', async () => ({ ok: true }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  return { app, limit, gates, base };
}

describe('limitConcurrency', () => {
  it('answers 503 OVERLOADED past the limit and frees slots when responses finish', async () => {
    const { app, limit, gates, base } = await gatedServer({ maxRequests: 2, maxBodyBytes: 1_000_000 }, 1_000_000);
    try {
      const first = fetch(`${base}/v1/slow`);
      const second = fetch(`${base}/v1/slow`);
      while (gates.length < 2) await new Promise((r) => setTimeout(r, 5));
      const third = await fetch(`${base}/v1/slow`);
      expect(third.status).toBe(503);
      expect(await third.json()).toEqual({ code: 'OVERLOADED' });
      // Unlimited paths are never shed.
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      gates.splice(0).forEach((open) => open());
      expect((await first).status).toBe(200);
      expect((await second).status).toBe(200);
      while (limit.active() > 0) await new Promise((r) => setTimeout(r, 5));
      const again = fetch(`${base}/v1/slow`);
      while (gates.length < 1) await new Promise((r) => setTimeout(r, 5));
      gates.splice(0).forEach((open) => open());
      expect((await again).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('also sheds past the budget of declared body bytes, charges chunked bodies the body limit, and always admits one request alone', async () => {
    const { app, limit, gates, base } = await gatedServer({ maxRequests: 100, maxBodyBytes: 1_000 }, 1_200);
    const post = (bytes: number) => fetch(`${base}/v1/slow`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(bytes) });
    const chunked = () =>
      fetch(`${base}/v1/slow`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode('x')), c.close()) }),
        duplex: 'half',
      } as RequestInit);
    const waitGates = async (n: number) => {
      while (gates.length < n) await new Promise((r) => setTimeout(r, 5));
    };
    try {
      const big = post(700);
      await waitGates(1);
      expect(limit.bytes()).toBe(700);
      expect((await post(400)).status).toBe(503);
      const small = post(300);
      await waitGates(2);
      expect(limit.bytes()).toBe(1_000);
      gates.splice(0).forEach((open) => open());
      expect([(await big).status, (await small).status]).toEqual([200, 200]);
      while (limit.active() > 0) await new Promise((r) => setTimeout(r, 5));

      // Unknown size: charged the body limit (1,200), more than the budget, yet let in alone.
      const unknown = chunked();
      await waitGates(1);
      expect(limit.bytes()).toBe(1_200);
      expect((await post(300)).status).toBe(503);
      gates.splice(0).forEach((open) => open());
      expect((await unknown).status).toBe(200);
      while (limit.active() > 0) await new Promise((r) => setTimeout(r, 5));
      expect(limit.bytes()).toBe(0);
    } finally {
      await app.close();
    }
  });
});
