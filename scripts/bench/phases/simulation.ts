// Simulation speed against the live correlate stage, same rule set, same alerts
// (DESIGN.md §9): alerts/s of a backtest reading the tenant's stored alerts from
// OpenSearch (PIT + search_after, the same engine on a memory store) against alerts/s
// of the live stage's handler (the engine on Postgres state, inbox, incidents, outbox).
import { randomBytes } from 'node:crypto';
import type { Alert } from '@vigil/contracts';
import { sampleAlert } from '@vigil/contracts/testing';
import { createSimulation, defaultRuleSettings } from '@vigil/detection';
import { Registry } from '@vigil/metrics';
import { createPool } from '@vigil/postgres';
import { createRuleSetCache, importRules, loadRules, simulationRuleSet } from '@vigil/rules';
import { alertIndexFor, bulkWrite, createIndexGuard, createSearchClient, scanAlerts } from '@vigil/search';
import { createCorrelateMetrics, createCorrelateHandler } from '@vigil/correlate';

export interface SimulationSpeed {
  readonly alerts: number;
  readonly simulationAlertsPerSecond: number;
  readonly liveAlertsPerSecond: number;
  /** Simulation rate over the live rate: how many times faster a backtest runs than live. */
  readonly ratio: number;
  readonly incidents: number;
}

const RULE = `
title: Bench brute force
id: bench-sim-brute-force
correlation:
  type: event_count
  rules: [ssh-failed-login]
  group-by: [src_ip]
  timespan: 5m
  condition:
    gte: 5
`;

export async function simulationSpeed(env: { databaseUrl: string; opensearchUrl: string }, count = 20_000): Promise<SimulationSpeed> {
  const tenant = `bench-sim-${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const t0 = Date.UTC(2026, 0, 1);
  const alerts: Alert[] = Array.from({ length: count }, (_, i) => sampleAlert({
    id: `${tenant}-${i}`, tenant_id: tenant, rule_id: 'ssh-failed-login', event_time: t0 + i * 1000, src_ip: `10.1.0.${i % 16}`,
  }));
  const pool = createPool(env.databaseUrl, 'vigil-bench-simulation');
  const search = createSearchClient(env.opensearchUrl);
  try {
    await importRules(pool, tenant, 'bench', RULE);
    const guard = createIndexGuard(search);
    await guard.ensure(new Set(alerts.map((a) => alertIndexFor(a.event_time))));
    for (let i = 0; i < alerts.length; i += 2000) {
      await bulkWrite(search, alerts.slice(i, i + 2000).map((a) => ({ kind: 'merge', index: alertIndexFor(a.event_time), id: a.id, doc: a, upsert: a })));
    }
    await search.indices.refresh({ index: 'vigil-alerts-*' });

    const client = await pool.connect();
    const stored = await loadRules(client, tenant).finally(() => client.release());
    const built = simulationRuleSet(stored, { kind: 'stored', key: 'bench-sim-brute-force', version: 1, source: stored[0]!.source, settings: {} }, defaultRuleSettings);
    if (!built.ok) throw new Error('bench rule does not compile');
    let started = performance.now();
    const simulation = createSimulation(built.set, tenant, Date.now());
    for await (const page of scanAlerts(search, { tenantId: tenant, from: t0, to: t0 + count * 1000, pageSize: 1000 })) {
      for (const alert of page) await simulation.feed(alert);
      await simulation.closeDue();
    }
    const simulationSeconds = (performance.now() - started) / 1000;
    const outcome = simulation.outcome();

    const handler = createCorrelateHandler({ pool, ruleSets: createRuleSetCache(pool, defaultRuleSettings), metrics: createCorrelateMetrics(new Registry()), engine: { maxEventsPerGroup: 10_000 } });
    started = performance.now();
    for (let i = 0; i < alerts.length; i += 200) {
      const records = alerts.slice(i, i + 200).map((value, j) => ({ topic: 'alerts.v1', partition: 0, offset: String(i + j), key: tenant, value, headers: {}, timestamp: Date.now() }));
      await handler.handle(records, Date.now());
    }
    const liveSeconds = (performance.now() - started) / 1000;
    if (outcome.alerts_read !== count) throw new Error(`simulation read ${outcome.alerts_read} of ${count} alerts`);
    const simulationAlertsPerSecond = count / simulationSeconds;
    const liveAlertsPerSecond = count / liveSeconds;
    return { alerts: count, simulationAlertsPerSecond, liveAlertsPerSecond, ratio: simulationAlertsPerSecond / liveAlertsPerSecond, incidents: outcome.incident_count };
  } finally {
    await search.close();
    await pool.end();
  }
}
