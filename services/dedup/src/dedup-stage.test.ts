import { describe, expect, it } from 'vitest';
import { topics, type Alert } from '@vigil/contracts';
import { dependencyUnavailable } from '@vigil/errors';
import type { InputRecord, Outcome } from '@vigil/kafka';
import { Registry } from '@vigil/metrics';
import type { DedupStore } from './store/dedup-store.ts';
import { createDedupMetrics } from './dedup-metrics.ts';
import { compileTenantSettings, type DedupSettingsRow } from './dedup-settings.ts';
import { createDedupHandler } from './dedup-stage.ts';
import { sampleAlert } from '../testing/sample-alert.ts';
import type { SettingsCache } from './settings-cache.ts';
import { createModelStore } from './window-model.ts';

const record = (value: unknown, offset = 0): InputRecord => ({ topic: topics.alertsRaw.name, partition: 0, offset: String(offset), key: null, value, headers: {}, timestamp: 0 });

function harness(options: { rows?: DedupSettingsRow[]; redisDownAfter?: number; settingsDown?: boolean } = {}) {
  const model = createModelStore();
  let calls = 0;
  const store: DedupStore = {
    async step(input) {
      if (options.redisDownAfter !== undefined && calls >= options.redisDownAfter) throw dependencyUnavailable('redis', new Error('ECONNREFUSED'));
      calls++;
      return model.step(input);
    },
    async stepMany(inputs) {
      const out = [];
      for (const input of inputs) out.push(await this.step(input).catch((err: Error) => err));
      return out;
    },
  };
  const settings: SettingsCache = {
    get: async () => {
      if (options.settingsDown) throw dependencyUnavailable('postgres', new Error('down'));
      return compileTenantSettings(options.rows ?? []);
    },
    warm: () => true,
  };
  const registry = new Registry();
  const metrics = createDedupMetrics(registry);
  const handler = createDedupHandler({ store, settings, defaultWindowMs: 60_000, latenessMs: 10_000, metrics, healthy: async () => true });
  const suppressed = async () => (await metrics.suppressed.get()).values.map((v) => [v.labels.tenant, v.value]);
  const redelivered = async () => (await metrics.redelivered.get()).values[0]?.value ?? 0;
  return { handler, suppressed, redelivered };
}

const alerts = (...specs: [string, number, Partial<Alert>?][]) => specs.map(([id, t, extra], i) => record(sampleAlert({ id, event_time: t, ...extra }), i));

function kinds(outcomes: readonly Outcome[]): string[] {
  return outcomes.map((o) => (o.kind === 'done' ? (o.outputs ?? []).map((r) => r.topic.name).join(',') : o.kind));
}

describe('dedup handler', () => {
  it('forwards the first of a fingerprint and turns the rest into notices', async () => {
    const { handler, suppressed } = harness();
    const outcomes = await handler.handle(alerts(['a', 1000], ['b', 2000], ['c', 1500, { dst_ip: '10.9.9.9' }], ['d', 3000]), 0);
    expect(kinds(outcomes)).toEqual(['alerts.v1', 'alerts.duplicates.v1', 'alerts.v1', 'alerts.duplicates.v1']);
    const last = outcomes[3]!;
    expect(last.kind === 'done' && last.outputs?.[0]?.value).toMatchObject({ canonical_id: 'a', duplicate_id: 'd', count: 3, first_seen: 1000, last_seen: 3000 });
    const first = outcomes[0]!;
    expect(first.kind === 'done' && first.outputs?.[0]).toMatchObject({ key: 'acme|2001', value: { id: 'a', dedup_count: 1, first_seen: 1000, last_seen: 1000 } });
    expect(await suppressed()).toEqual([['acme', 2]]);
  });

  it('gives a redelivered slice the same outputs and does not count it again', async () => {
    const { handler, suppressed, redelivered } = harness();
    const slice = alerts(['a', 1000], ['b', 2000], ['c', 2500]);
    const once = await handler.handle(slice, 0);
    const again = await handler.handle(slice, 5);
    expect(again[0]).toEqual(once[0]);
    expect(again[2]).toEqual(once[2]);
    // A redelivered notice carries the window's latest values: never older than before.
    const notice = (o: Outcome | undefined) => (o?.kind === 'done' ? o.outputs?.[0]?.value : undefined);
    expect(notice(again[1])).toEqual({ ...(notice(once[2]) as object), duplicate_id: 'b', duplicate_event_time: 2000 });
    expect(await suppressed()).toEqual([['acme', 2]]);
    expect(await redelivered()).toBe(3);
  });

  it('applies per-rule settings from Postgres', async () => {
    const { handler } = harness({ rows: [{ rule_id: '2001', fields: ['src_ip'], window_seconds: 1 }] });
    const outcomes = await handler.handle(alerts(['a', 0], ['b', 500, { dst_ip: '10.9.9.9' }], ['c', 1000]), 0);
    expect(kinds(outcomes)).toEqual(['alerts.v1', 'alerts.duplicates.v1', 'alerts.v1']);
  });

  it('rejects a malformed record and carries on', async () => {
    const { handler } = harness();
    const outcomes = await handler.handle([record({ id: 'x' }), ...alerts(['a', 1000])], 0);
    expect(outcomes.map((o) => o.kind)).toEqual(['reject', 'done']);
  });

  it('Redis down: that record fails with DEPENDENCY_UNAVAILABLE (the runtime pauses) and every later one is deferred, not failed', async () => {
    const { handler } = harness({ redisDownAfter: 1 });
    const outcomes = await handler.handle(alerts(['a', 1000], ['b', 2000], ['c', 3000]), 0);
    expect(outcomes.map((o) => o.kind)).toEqual(['done', 'fail', 'deferred']);
    const failed = outcomes[1]!;
    expect(failed.kind === 'fail' && (failed.error as { code?: string }).code).toBe('DEPENDENCY_UNAVAILABLE');
  });

  it('settings unavailable (cold cache, Postgres down): fails closed', async () => {
    const { handler } = harness({ settingsDown: true });
    expect((await handler.handle(alerts(['a', 1000], ['b', 2000]), 0)).map((o) => o.kind)).toEqual(['fail', 'deferred']);
  });
});
