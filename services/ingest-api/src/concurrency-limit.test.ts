import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { isVigilError } from '@vigil/errors';
import { limitConcurrency } from './concurrency-limit.ts';

describe('limitConcurrency', () => {
  it('answers 503 OVERLOADED past the limit and frees slots when responses finish', async () => {
    const app = Fastify();
    const limit = limitConcurrency(app, 2, (url) => url.startsWith('/v1/'));
    app.setErrorHandler((err, _req, reply) => void reply.status(isVigilError(err) ? err.status : 500).send({ code: isVigilError(err) ? err.code : 'X' }));
    const gates: Array<() => void> = [];
    app.get('/v1/slow', () => new Promise((resolve) => gates.push(() => resolve({ ok: true }))));
    app.get('/healthz', async () => ({ ok: true }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
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
});
