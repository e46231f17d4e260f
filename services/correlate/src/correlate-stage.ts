import type { Alert } from '@vigil/contracts';
import { dependencyUnavailable, isPostgresOutage } from '@vigil/errors';
import { GENERATED_FROM_LABEL, alertRoutes, closeWindows, correlateAlert, correlateRepeat, generatedAlerts, groupValuesOf, type CompiledRuleSet, type EngineOptions, type Route } from '@vigil/detection';
import { classify, deferred, done, fail, type InputRecord, type Outcome, type StageHandler } from '@vigil/kafka';
import { inTransaction, postgresHealthy, type Pool, type PoolClient } from '@vigil/postgres';
import type { RuleSetCache } from '@vigil/rules';
import type { CorrelateMetrics } from './correlate-metrics.ts';
import { createPgStateStore, type PgStateStore } from './group-state-store.ts';
import { createSliceEffects, type SliceEffects } from './slice-effects.ts';
import { markProcessedAll, lockAlertIds, readMemos, readWatermarks, takeParkedRepeats, type ParkedRepeat } from './incident-store.ts';
import { eventIdOf, repeatTimeOf, sliceItem, tenantOf, type SliceItem } from './slice-items.ts';

/** The stage's name in the inbox (its rows are pruned by inbox-retention.ts). */
export const CONSUMER = 'correlate';
/** Group rows swept for due close-time windows per tenant and transaction; the rest wait for the next slice. */
const CLOSE_BATCH = 200;
/** Postgres answers a lock cycle between two workers by aborting one: redo it. */
const CONFLICT_CODES = new Set(['40P01', '40001']);
const MAX_CONFLICT_RETRIES = 5;

/** What an alert's inbox row remembers: its severity score and the routes it took. */
interface Memo {
  readonly s: number;
  readonly r: readonly Route[];
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}

export interface CorrelateDeps {
  readonly pool: Pool;
  readonly ruleSets: RuleSetCache;
  readonly metrics: CorrelateMetrics;
  readonly engine: EngineOptions;
  /** After each committed transaction that wrote outbox rows (the relay publishes them at once). */
  readonly onCommitted?: () => void;
}

/**
 * Per alert: inbox row, then the engine over the tenant's rules, with every group it
 * touches locked, then incidents, outbox and audit rows, all in one transaction. A
 * redelivered alert finds its inbox row and changes nothing (I6).
 */
export function createCorrelateHandler(deps: CorrelateDeps): StageHandler {
  const { pool, metrics } = deps;

  /** Returns the outbox rows the slice wrote. */
  async function runSlice(client: PoolClient, items: readonly SliceItem[], sets: ReadonlyMap<string, CompiledRuleSet>, now: number): Promise<number> {
    const tenants = [...new Set(items.map(tenantOf))];
    const watermarks = await readWatermarks(client, tenants);
    const runnable = (tenant: string) => {
      const set = sets.get(tenant);
      return set && set.correlations.length > 0 ? set : undefined;
    };
    // The routes each alert takes, kept in its inbox row so its duplicates can follow them.
    const routes = new Map<string, Memo>();
    for (const item of items) {
      const set = item.kind === 'alert' ? runnable(item.alert.tenant_id) : undefined;
      const taken = set && item.kind === 'alert' ? alertRoutes(set, item.alert) : [];
      if (taken.length > 0 && item.kind === 'alert') routes.set(item.alert.id, { s: item.alert.severity_score, r: taken });
    }
    await lockAlertIds(client, items.map((i) => (i.kind === 'alert' ? i.alert.id : i.notice.canonical_id)));
    const fresh = await markProcessedAll(client, CONSUMER, items.map((item) => ({ id: eventIdOf(item), memo: routes.get(eventIdOf(item)) ?? null })));
    metrics.redelivered.inc(items.length - fresh.size);
    const repeats = items.flatMap((i) => (i.kind === 'repeat' && fresh.has(i.notice.duplicate_id) ? [i.notice] : []));
    const canonicals = await readMemos(client, CONSUMER, repeats.map((n) => n.canonical_id));
    for (const [id, memo] of canonicals) if (memo !== null) routes.set(id, JSON.parse(memo) as Memo);
    const parked = groupBy(await takeParkedRepeats(client, items.flatMap((i) => (i.kind === 'alert' && fresh.has(i.alert.id) ? [i.alert.id] : []))), (p) => p.canonical);

    const stores = new Map(tenants.map((t) => [t, createPgStateStore(client, t, sets.get(t)?.byStateKey ?? new Map())]));
    const effects = createSliceEffects(client, metrics, now);
    await prefetch(items, fresh, routes, runnable, stores, effects);
    const generated: Alert[] = [];
    const toPark: ParkedRepeat[] = [];
    for (const item of items) {
      // Only the first copy of an event in the slice is new; a redelivered one is a no-op.
      if (!fresh.delete(eventIdOf(item))) continue;
      const tenant = tenantOf(item);
      const time = item.kind === 'alert' ? item.alert.event_time : repeatTimeOf(item.notice);
      const watermark = Math.max(watermarks.get(tenant)!, time);
      watermarks.set(tenant, watermark);
      const set = runnable(tenant);
      if (!set) continue;
      const store = stores.get(tenant)!;
      if (item.kind === 'repeat') {
        const { notice } = item;
        const memo = routes.get(notice.canonical_id);
        if (!canonicals.has(notice.canonical_id)) toPark.push({ tenant, canonical: notice.canonical_id, id: notice.duplicate_id, t: time, s: 0 });
        else if (memo) await effects.apply(tenant, await correlateRepeat(set, tenant, memo.r, { id: notice.duplicate_id, time, score: memo.s }, watermark, store, deps.engine), watermark);
        continue;
      }
      const { alert } = item;
      generated.push(...generatedAlerts(set, alert));
      // A generated alert is for analysts; the alert it came from is already correlated.
      if (alert.labels[GENERATED_FROM_LABEL] !== undefined) continue;
      await effects.apply(tenant, await correlateAlert(set, alert, watermark, store, deps.engine), watermark);
      // Duplicates that arrived before their canonical alert count now, at their own times.
      const memo = routes.get(alert.id);
      if (!memo) continue;
      for (const repeat of parked.get(alert.id) ?? []) {
        await effects.apply(tenant, await correlateRepeat(set, tenant, memo.r, { id: repeat.id, time: repeat.t, score: memo.s }, watermark, store, deps.engine), watermark);
      }
    }
    for (const tenant of tenants) {
      const set = sets.get(tenant);
      if (set) await closeDueWindows(tenant, set, watermarks.get(tenant)!, stores.get(tenant)!, effects);
    }
    for (const store of stores.values()) await store.flush();
    return effects.flush({ parked: toPark, generated, watermarks });
  }

  /**
   * Every group the slice touches, locked in one statement per tenant, then the incidents
   * open in those groups in one more: joined one by one they cost two round trips each,
   * which at a moderate rate (slices of tens of alerts joining tens of incidents) was most
   * of a slice's time.
   */
  async function prefetch(items: readonly SliceItem[], fresh: ReadonlySet<string>, routes: ReadonlyMap<string, Memo>, runnable: (tenant: string) => CompiledRuleSet | undefined, stores: ReadonlyMap<string, PgStateStore>, effects: SliceEffects): Promise<void> {
    const episodes: string[] = [];
    for (const [tenant, store] of stores) {
      const set = runnable(tenant);
      if (!set) continue;
      const nodes = set.byStateKey;
      const groups = items.filter((i) => tenantOf(i) === tenant && fresh.has(eventIdOf(i))).flatMap((i) => {
        const memo = routes.get(i.kind === 'alert' ? i.alert.id : i.notice.canonical_id);
        return (memo?.r ?? []).flatMap((r) => (nodes.has(r.s) ? [{ node: nodes.get(r.s)!, groupKey: r.g }] : []));
      });
      await store.prefetch(groups);
      episodes.push(...store.episodes(groups));
    }
    await effects.prefetch(episodes);
  }

  /**
   * Windows decided at close whose end (plus lateness) the tenant's watermark has passed;
   * on the way the store drops states nothing can use any more (window-state expiry).
   */
  async function closeDueWindows(tenant: string, set: CompiledRuleSet, watermark: number, store: PgStateStore, effects: SliceEffects): Promise<void> {
    if (!Number.isFinite(watermark)) return;
    const nodes = set.byStateKey;
    const { due, dropped } = await store.lockDue(watermark, CLOSE_BATCH);
    metrics.expired.inc(dropped);
    if (due.length === 0) return;
    const windows = due.map(({ stateKey, groupKey }) => ({ node: nodes.get(stateKey)!, groupKey, groupValues: groupValuesOf(nodes.get(stateKey)!, groupKey) }));
    await effects.apply(tenant, await closeWindows(tenant, windows, watermark, store, deps.engine), watermark);
  }

  async function transact(alerts: readonly SliceItem[], sets: ReadonlyMap<string, CompiledRuleSet>, now: number): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const written = await inTransaction(pool, (client) => runSlice(client, alerts, sets, now));
        // A slice that only counted alerts into windows left the relay nothing to do.
        if (written > 0) deps.onCommitted?.();
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
        await transact([sliceItem(record)], sets, now);
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
      const items = records.map(sliceItem);
      let sets: Map<string, CompiledRuleSet>;
      try {
        sets = await deps.ruleSets.forTenants(items.map(tenantOf));
      } catch (err) {
        // Rules are read before the transaction: an unreachable database is an outage here too.
        const outage = isPostgresOutage(err) ? dependencyUnavailable('postgres', err) : err;
        return records.map(() => fail(outage));
      }
      // One transaction per slice, records in offset order: one commit (one fsync) for
      // hundreds of alerts. If it fails for a reason other than an outage, the slice is
      // redone record by record so one bad alert cannot take its neighbours down.
      try {
        await transact(items, sets, now);
        return records.map(() => done());
      } catch (err) {
        if (classify(err).kind === 'dependency') return records.map(() => fail(err));
        return oneByOne(records, sets, now);
      }
    },
  };
}
