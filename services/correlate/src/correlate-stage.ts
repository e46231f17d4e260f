import { topics, type Alert } from '@vigil/contracts';
import { dependencyUnavailable, isPostgresOutage } from '@vigil/errors';
import { GENERATED_FROM_LABEL, closeWindows, correlateAlert, directGroups, generatedAlerts, groupValuesOf, type CompiledRuleSet, type EngineOptions } from '@vigil/detection';
import { classify, deferred, done, fail, type InputRecord, type Outcome, type StageHandler } from '@vigil/kafka';
import { inTransaction, postgresHealthy, type Pool, type PoolClient } from '@vigil/postgres';
import type { RuleSetCache } from '@vigil/rules';
import type { CorrelateMetrics } from './correlate-metrics.ts';
import { createPgStateStore, type PgStateStore } from './group-state-store.ts';
import { createSliceEffects, type SliceEffects } from './slice-effects.ts';
import { advanceWatermarks, dropState, dueGroups, enqueueAll, markProcessedAll, readWatermarks } from './incident-store.ts';

const CONSUMER = 'correlate';
/** Close-time windows decided per tenant and transaction; the rest wait for the next slice. */
const CLOSE_BATCH = 200;
/** Postgres answers a lock cycle between two workers by aborting one: redo it. */
const CONFLICT_CODES = new Set(['40P01', '40001']);
const MAX_CONFLICT_RETRIES = 5;

export interface CorrelateDeps {
  readonly pool: Pool;
  readonly ruleSets: RuleSetCache;
  readonly metrics: CorrelateMetrics;
  readonly engine: EngineOptions;
}

/**
 * Per alert: inbox row, then the engine over the tenant's rules, with every group it
 * touches locked, then incidents, outbox and audit rows, all in one transaction. A
 * redelivered alert finds its inbox row and changes nothing (I6).
 */
export function createCorrelateHandler(deps: CorrelateDeps): StageHandler {
  const { pool, metrics } = deps;

  async function runSlice(client: PoolClient, alerts: readonly Alert[], sets: ReadonlyMap<string, CompiledRuleSet>, now: number): Promise<void> {
    const tenants = [...new Set(alerts.map((a) => a.tenant_id))];
    const watermarks = await readWatermarks(client, tenants);
    const fresh = await markProcessedAll(client, CONSUMER, alerts.map((a) => a.id));
    metrics.redelivered.inc(alerts.length - fresh.size);
    const stores = new Map(tenants.map((t) => [t, createPgStateStore(client, t)]));
    const effects = createSliceEffects(client, metrics, now);
    // Every group the slice's alerts touch, locked in one statement per tenant.
    for (const tenant of tenants) {
      const set = sets.get(tenant);
      if (!set || set.correlations.length === 0) continue;
      const groups = alerts.filter((a) => a.tenant_id === tenant && fresh.has(a.id)).flatMap((a) => directGroups(set, a));
      await stores.get(tenant)!.prefetch(groups);
    }
    const generated: Alert[] = [];
    for (const alert of alerts) {
      // Only the first copy of an alert in the slice is new; a redelivered one is a no-op.
      if (!fresh.delete(alert.id)) continue;
      const tenant = alert.tenant_id;
      const watermark = Math.max(watermarks.get(tenant)!, alert.event_time);
      watermarks.set(tenant, watermark);
      const set = sets.get(tenant);
      if (!set || set.correlations.length === 0) continue;
      generated.push(...generatedAlerts(set, alert));
      // A generated alert is for analysts; the alert it came from is already correlated.
      if (alert.labels[GENERATED_FROM_LABEL] !== undefined) continue;
      await effects.apply(tenant, await correlateAlert(set, alert, watermark, stores.get(tenant)!, deps.engine), watermark);
    }
    for (const tenant of tenants) {
      const set = sets.get(tenant);
      if (set) await closeDueWindows(client, tenant, set, watermarks.get(tenant)!, stores.get(tenant)!, effects);
    }
    for (const store of stores.values()) await store.flush();
    await effects.flush();
    await enqueueAll(client, topics.alerts.name, generated);
    await advanceWatermarks(client, watermarks);
  }

  /** Windows decided at close whose end (plus lateness) the tenant's watermark has passed. */
  async function closeDueWindows(client: PoolClient, tenant: string, set: CompiledRuleSet, watermark: number, store: PgStateStore, effects: SliceEffects): Promise<void> {
    if (!Number.isFinite(watermark)) return;
    const nodes = new Map(set.correlations.map((n) => [n.stateKey, n]));
    const due = [];
    for (const row of await dueGroups(client, tenant, watermark, CLOSE_BATCH)) {
      const node = nodes.get(row.state_key);
      if (!node) await dropState(client, tenant, row.state_key, row.group_key);
      else due.push({ node, groupKey: row.group_key, groupValues: groupValuesOf(node, row.group_key) });
    }
    if (due.length === 0) return;
    await effects.apply(tenant, await closeWindows(tenant, due, watermark, store, deps.engine), watermark);
  }

  async function transact(alerts: readonly Alert[], sets: ReadonlyMap<string, CompiledRuleSet>, now: number): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await inTransaction(pool, (client) => runSlice(client, alerts, sets, now));
        return;
      } catch (err) {
        const code = (err as { code?: string }).code ?? ((err as { cause?: { code?: string } }).cause?.code);
        if (!code || !CONFLICT_CODES.has(code) || attempt >= MAX_CONFLICT_RETRIES) throw err;
        metrics.conflicts.inc();
      }
    }
  }

  /**
   * One transaction per record, so a failure lands on the record that caused it. Records
   * behind a failure that will be retried are deferred, not applied: applied now, a later
   * alert would enter a window before the retried one. Behind a dead record the rest go on.
   */
  async function oneByOne(records: readonly InputRecord[], sets: ReadonlyMap<string, CompiledRuleSet>, now: number): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    for (const record of records) {
      try {
        await transact([record.value as Alert], sets, now);
        outcomes.push(done());
      } catch (err) {
        outcomes.push(fail(err));
        if (classify(err).kind === 'dead') continue;
        while (outcomes.length < records.length) outcomes.push(deferred());
        break;
      }
    }
    return outcomes;
  }

  return {
    healthy: () => postgresHealthy(pool),
    async handle(records, now) {
      const alerts = records.map((r) => r.value as Alert);
      let sets: Map<string, CompiledRuleSet>;
      try {
        sets = await deps.ruleSets.forTenants(alerts.map((a) => a.tenant_id));
      } catch (err) {
        // Rules are read before the transaction: an unreachable database is an outage here too.
        const outage = isPostgresOutage(err) ? dependencyUnavailable('postgres', err) : err;
        return records.map(() => fail(outage));
      }
      // One transaction per slice, records in offset order: one commit (one fsync) for
      // hundreds of alerts. If it fails for a reason other than an outage, the slice is
      // redone record by record so one bad alert cannot take its neighbours down.
      try {
        await transact(alerts, sets, now);
        return records.map(() => done());
      } catch (err) {
        if (classify(err).kind === 'dependency') return records.map(() => fail(err));
        return oneByOne(records, sets, now);
      }
    },
  };
}
