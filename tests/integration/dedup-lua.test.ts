import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisClient } from '@vigil/redis';
import { L, NOW, W, windowCases } from '@vigil/dedup/testing';
import { createModelStore, countDedupWindows, createDedupStore, dedupKeys, type DedupStepInput } from '@vigil/dedup';
import { stackEnv, uniqueTenant } from '../support/stack-env.ts';

// The Redis script and the pure model (which the property tests cover) must be the
// same state machine: run identical sequences through both and compare every decision.

const redis = createRedisClient(stackEnv['REDIS_URL']!, 'vigil-tests-dedup');
const store = createDedupStore(redis);

beforeAll(async () => {
  // The client queues nothing while connecting (fail fast in workers): wait until it is up.
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
});

afterAll(() => {
  redis.disconnect();
});

const T0 = 1_700_000_000_123; // past 2^32 and 14 significant digits: catches number formatting in Lua

interface Delivery {
  readonly fingerprint: string;
  readonly alertId: string;
  readonly eventTime: number;
  /** Worker clock advance before this delivery. */
  readonly tick: number;
}

// Offsets cluster on the window's edges (relative to an anchor at 0) so boundaries get hit.
// Deliveries either pick alerts at random or walk forward with rewinds, the way Kafka
// redelivers a stretch after a crash or a second consumer re-reads one.
const sequenceArb = fc
  .record({ windowMs: fc.integer({ min: 1, max: 2000 }), latenessMs: fc.integer({ min: 0, max: 800 }) })
  .chain(({ windowMs, latenessMs }) => {
    const edges = [0, -latenessMs, -latenessMs - 1, windowMs - 1, windowMs, windowMs - latenessMs, windowMs - latenessMs - 1, 2 * windowMs];
    // Mostly inside one window (duplicates), sometimes past it (new windows) or far off.
    const offset = fc.oneof(
      { weight: 2, arbitrary: fc.constantFrom(...edges) },
      { weight: 4, arbitrary: fc.integer({ min: -latenessMs, max: windowMs - 1 }) },
      { weight: 2, arbitrary: fc.integer({ min: windowMs, max: 3 * windowMs }) },
      { weight: 1, arbitrary: fc.integer({ min: -1500, max: 6000 }) },
    );
    // Mostly no time passing (memory holds), sometimes right to or past an expiry.
    const tick = fc.oneof(
      { weight: 6, arbitrary: fc.constant(0) },
      { weight: 2, arbitrary: fc.integer({ min: 0, max: 300 }) },
      { weight: 1, arbitrary: fc.constantFrom(windowMs + latenessMs, windowMs + latenessMs - 1) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 3000 }) },
    );
    const randomPicks = fc.array(fc.record({ index: fc.nat(), tick }), { minLength: 1, maxLength: 60 });
    const walk = fc.array(fc.record({ move: fc.oneof({ weight: 4, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: -8, max: -1 }) }), tick }), { minLength: 1, maxLength: 60 }).map((moves) => {
      let at = 0;
      return moves.map(({ move, tick: t }) => {
        const index = at;
        at = Math.max(0, at + move);
        return { index, tick: t };
      });
    });
    return fc.record({
      windowMs: fc.constant(windowMs),
      latenessMs: fc.constant(latenessMs),
      alerts: fc.array(fc.record({ fingerprint: fc.constantFrom('f1', 'f2'), offset }), { minLength: 1, maxLength: 12 }),
      picks: fc.oneof(randomPicks, walk),
    });
  });

describe('dedup-step.lua agrees with the reference model', () => {
  it.each(windowCases)('%s', async (_name, events, expected) => {
    const tenantId = uniqueTenant('dedup-lua');
    const decisions = [];
    for (const [alertId, eventTime, now] of events) decisions.push(await store.step({ tenantId, fingerprint: 'ab12', alertId, eventTime, windowMs: W, latenessMs: L, now: now ?? NOW }));
    expect(decisions).toEqual(expected);
  });

  it('on random sequences with redeliveries, lateness and expiry', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(sequenceArb, async ({ windowMs, latenessMs, alerts, picks }) => {
        const tenantId = `${uniqueTenant('dedup-lua')}-${run++}`;
        const model = createModelStore();
        // Picking alerts by index with repeats models redeliveries: an id always carries its own event time.
        const deliveries: Delivery[] = picks.map(({ index, tick }) => {
          const a = alerts[index % alerts.length]!;
          return { fingerprint: a.fingerprint, alertId: `a${index % alerts.length}`, eventTime: T0 + a.offset, tick };
        });
        let now = Date.now();
        for (const d of deliveries) {
          now += d.tick;
          const input: DedupStepInput = { tenantId, fingerprint: d.fingerprint, alertId: d.alertId, eventTime: d.eventTime, windowMs, latenessMs, now };
          expect(await store.step(input)).toEqual(model.step(input));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('decides a pipelined slice (stepMany) exactly as one call after another', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(sequenceArb, async ({ windowMs, latenessMs, alerts, picks }) => {
        const tenantId = `${uniqueTenant('dedup-pipe')}-${run++}`;
        const model = createModelStore();
        let now = Date.now();
        const inputs: DedupStepInput[] = picks.map(({ index, tick }) => {
          const a = alerts[index % alerts.length]!;
          now += tick;
          return { tenantId, fingerprint: a.fingerprint, alertId: `a${index % alerts.length}`, eventTime: T0 + a.offset, windowMs, latenessMs, now };
        });
        expect(await store.stepMany(inputs)).toEqual(inputs.map((input) => model.step(input)));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps times exact, expires its keys and counts windows per tenant', async () => {
    const tenantId = uniqueTenant('dedup-lua');
    const now = Date.now();
    const step = (alertId: string, eventTime: number) => store.step({ tenantId, fingerprint: 'ab12', alertId, eventTime, windowMs: 60_000, latenessMs: 5_000, now });
    expect(await step('c', T0)).toEqual({ kind: 'canonical', replay: false });
    expect(await step('d', T0 - 4_999)).toEqual({ kind: 'duplicate', replay: false, canonicalId: 'c', canonicalEventTime: T0, count: 2, firstSeen: T0 - 4_999, lastSeen: T0 });
    const keys = dedupKeys(tenantId, 'ab12');
    for (const key of [keys.window, keys.decisions, keys.seen]) {
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(60_000);
      expect(ttl).toBeLessThanOrEqual(65_000 + 60_000);
    }
    expect((await countDedupWindows(redis, { batch: 5000, tenant: tenantId })).byTenant.get(tenantId)).toBe(1);
  });

  it('forgets old alert ids as the clock moves, so memory stays bounded', async () => {
    const tenantId = uniqueTenant('dedup-lua');
    const windowMs = 1000;
    for (let i = 0; i < 400; i++) {
      await store.step({ tenantId, fingerprint: 'ab12', alertId: `a${i}`, eventTime: T0 + i * 10, windowMs, latenessMs: 0, now: T0 + i * 10 });
    }
    // Ids decided in the last window+lateness (100 of them) are all that is kept.
    const keys = dedupKeys(tenantId, 'ab12');
    expect(await redis.hlen(keys.decisions)).toBeLessThanOrEqual(101);
    expect(await redis.zcard(keys.seen)).toBe(await redis.hlen(keys.decisions));
  });
});
