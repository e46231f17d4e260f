import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, DuplicateNotice } from '@vigil/contracts';
import { sampleAlert } from '@vigil/contracts/testing';
import { defaultRuleSettings } from '@vigil/detection';
import type { InputRecord, StageHandler } from '@vigil/kafka';
import { createMetricsRegistry } from '@vigil/metrics';
import { adminUrlFor, createPool } from '@vigil/postgres';
import { createRuleSetCache, deleteRule, importRules, updateSettings } from '@vigil/rules';
import { CONSUMER, createCorrelateMetrics, createCorrelateHandler, createInboxRetention } from '@vigil/correlate';
import { createLogger } from '@vigil/logging';
import { cli, stackEnv, uniqueTenant } from '../support/stack-env.ts';

// The app role, as the service connects: proves the grants suffice and nothing more is needed.
const pool = createPool(stackEnv['DATABASE_URL']!, 'vigil-test-correlate');

/** A fresh handler, as a worker process builds it (its own caches and metrics). */
function worker(): StageHandler {
  return createCorrelateHandler({
    pool,
    ruleSets: createRuleSetCache(pool, defaultRuleSettings),
    metrics: createCorrelateMetrics(createMetricsRegistry('correlate-test')),
    engine: { maxEventsPerGroup: 1000 },
  });
}

const RULES = `
title: SSH brute force from one source
id: brute-force-src
level: high
tags: [attack.credential_access, attack.t1110]
correlation:
  type: event_count
  rules: [ssh-failed-login]
  group-by: [src_ip]
  timespan: 5m
  condition: {gte: 3}
---
title: Quiet host
id: quiet-host
correlation:
  type: event_count
  rules: [heartbeat]
  group-by: [host]
  timespan: 10m
  condition: {lt: 2}
`;

const T0 = Date.UTC(2026, 10, 20, 10, 0);
const MIN = 60_000;

let seq = 0;
function alert(tenant: string, minutes: number, overrides: Partial<Alert> = {}): Alert {
  seq += 1;
  return sampleAlert({ id: `${tenant}-alert-${seq}`, tenant_id: tenant, rule_id: 'ssh-failed-login', rule_name: 'SSH failed login', event_time: T0 + minutes * MIN, src_ip: '192.0.2.10', host: `h${seq}`, ...overrides });
}

/** Notices of duplicates dedup folded into `canonical`, as they arrive on alerts.duplicates.v1. */
const asNotices = (canonical: Alert, minutes: number[]): InputRecord[] =>
  minutes.map((m, i) => {
    const value: DuplicateNotice = {
      tenant_id: canonical.tenant_id, canonical_id: canonical.id, canonical_event_time: canonical.event_time, duplicate_id: `${canonical.id}-dup-${i}`,
      fingerprint: 'fp', count: i + 2, first_seen: canonical.event_time, last_seen: T0 + m * MIN, duplicate_event_time: T0 + m * MIN,
    };
    return { topic: 'alerts.duplicates.v1', partition: 0, offset: String(i), key: null, value, headers: {}, timestamp: 0 };
  });

const asRecords = (alerts: Alert[], partition = 0): InputRecord[] => alerts.map((value, i) => ({ topic: 'alerts.v1', partition, offset: String(i), key: null, value, headers: {}, timestamp: 0 }));

/** The stored due time of each of the tenant's group rows. */
const dueTimes = async (tenant: string) => (await pool.query<{ close_at: Date }>('SELECT close_at FROM correlation_groups WHERE tenant_id = $1', [tenant])).rows.map((r) => r.close_at.getTime());

async function tenantWithRules(prefix: string): Promise<string> {
  const tenant = uniqueTenant(prefix);
  const report = await importRules(pool, tenant, 'test-engineer', RULES);
  expect(report).toMatchObject({ imported: 2, rejected: 0 });
  return tenant;
}

async function state(tenant: string) {
  const incidents = await pool.query<{ id: string; rule_id: string; alert_count: number; revision: string; severity: string; tags: string[]; group_values: Record<string, string>; rule_version: number }>(
    'SELECT id, rule_id, alert_count, revision, severity, tags, group_values, rule_version FROM incidents WHERE tenant_id = $1 ORDER BY id', [tenant]);
  const members = await pool.query<{ incident_id: string; alert_id: string }>('SELECT incident_id, alert_id FROM incident_members WHERE tenant_id = $1 ORDER BY incident_id, alert_id', [tenant]);
  const outbox = await pool.query<{ topic: string; n: string }>('SELECT topic, count(*) AS n FROM outbox WHERE tenant_id = $1 GROUP BY topic', [tenant]);
  const byTopic = Object.fromEntries(outbox.rows.map((r) => [r.topic, Number(r.n)]));
  return { incidents: incidents.rows, members: members.rows, incidentRows: byTopic['correlations.v1'] ?? 0, auditRows: byTopic['correlation.audit.v1'] ?? 0 };
}

beforeAll(() => {
  seq = 0;
});

afterAll(async () => {
  await pool.end();
});

describe('correlate stage on real Postgres', () => {
  it('opens one incident when the rule fires, links each alert once and writes one outbox row per change, however often alerts are redelivered (I6)', async () => {
    const tenant = await tenantWithRules('corr');
    const handler = worker();
    const alerts = [alert(tenant, 0), alert(tenant, 1), alert(tenant, 2), alert(tenant, 3), alert(tenant, 3, { src_ip: '198.51.100.1' })];
    const first = await handler.handle(asRecords(alerts), Date.now());
    expect(first.every((o) => o.kind === 'done')).toBe(true);
    const before = await state(tenant);
    // A crash before the commit redelivers a prefix and the whole slice again.
    await handler.handle(asRecords(alerts.slice(0, 2)), Date.now());
    await handler.handle(asRecords(alerts), Date.now());

    const s = await state(tenant);
    expect(s).toEqual(before);
    expect(s.incidents).toHaveLength(1);
    expect(s.incidents[0]).toMatchObject({ rule_id: 'brute-force-src', alert_count: 4, revision: '2', severity: 'high', rule_version: 1, group_values: { src_ip: '192.0.2.10' }, tags: ['attack.credential_access', 'attack.t1110'] });
    expect(s.members.map((m) => m.alert_id).sort()).toEqual(alerts.slice(0, 4).map((a) => a.id).sort());
    // Opened and joined within one slice: one change of the incident, one outbox row (I6).
    expect(s.incidentRows).toBe(1);
    // opened + joined; alerts that only counted toward a window publish no audit event.
    expect(s.auditRows).toBe(2);
  });

  it('counts duplicates dedup folded into one alert, also those that arrive before it, each once', async () => {
    const tenant = await tenantWithRules('corr-dups');
    const handler = worker();
    // The same failed login three times from one source: dedup forwards one alert and two notices.
    const canonical = alert(tenant, 0, { src_ip: '203.0.113.77' });
    const [early, late] = asNotices(canonical, [1, 2]);
    expect((await handler.handle([early!], Date.now())).map((o) => o.kind)).toEqual(['done']);
    expect((await state(tenant)).incidents).toHaveLength(0);
    await handler.handle(asRecords([canonical]), Date.now());
    expect((await state(tenant)).incidents).toHaveLength(0);
    await handler.handle([late!], Date.now());
    await handler.handle([early!, late!], Date.now()); // redelivered: no-ops
    const s = await state(tenant);
    expect(s.incidents).toMatchObject([{ rule_id: 'brute-force-src', alert_count: 3, group_values: { src_ip: '203.0.113.77' } }]);
    expect(s.members.map((m) => m.alert_id).sort()).toEqual([canonical.id, `${canonical.id}-dup-0`, `${canonical.id}-dup-1`].sort());
  });

  it('two workers on different partitions produce the same incidents as one', async () => {
    const one = await tenantWithRules('corr-one');
    const two = await tenantWithRules('corr-two');
    const scenario = (tenant: string) => [0, 1, 2, 3, 4, 5].map((m) => alert(tenant, m * 0.5, { src_ip: `192.0.2.${m % 2}`, id: `${tenant}-${m}` }));
    await worker().handle(asRecords(scenario(one)), Date.now());
    const [a, b] = [worker(), worker()];
    const split = scenario(two);
    await Promise.all([a.handle(asRecords(split.filter((_, i) => i % 2 === 0), 0), Date.now()), b.handle(asRecords(split.filter((_, i) => i % 2 === 1), 1), Date.now())]);
    const [s1, s2] = [await state(one), await state(two)];
    const shape = (s: Awaited<ReturnType<typeof state>>, tenant: string) => s.incidents.map((i) => ({ ...i, id: undefined, members: s.members.filter((m) => m.incident_id === i.id).map((m) => m.alert_id.replace(tenant, 'T')).sort() }));
    expect(s1.incidents).toHaveLength(2);
    expect(shape(s2, two).sort((x, y) => x.group_values.src_ip!.localeCompare(y.group_values.src_ip!))).toEqual(shape(s1, one).sort((x, y) => x.group_values.src_ip!.localeCompare(y.group_values.src_ip!)));
  });

  it('decides a close-time condition (lt) once the tenant watermark passes the window end, and records late alerts', async () => {
    const tenant = await tenantWithRules('corr-close');
    const handler = worker();
    await handler.handle(asRecords([alert(tenant, 0, { rule_id: 'heartbeat', host: 'quiet-1' })]), Date.now());
    expect((await state(tenant)).incidents).toHaveLength(0);
    // Event time moves on (another alert of the tenant): the window [0, 10m] + 5m lateness closes.
    await handler.handle(asRecords([alert(tenant, 16, { rule_id: 'unrelated' })]), Date.now());
    const s = await state(tenant);
    expect(s.incidents).toMatchObject([{ rule_id: 'quiet-host', alert_count: 1, group_values: { host: 'quiet-1' } }]);

    const late = alert(tenant, 1, { rule_id: 'ssh-failed-login' });
    await handler.handle(asRecords([late]), Date.now());
    const recorded = await pool.query('SELECT rule_key FROM late_alerts WHERE tenant_id = $1 AND alert_id = $2', [tenant, late.id]);
    expect(recorded.rows).toEqual([{ rule_key: 'brute-force-src' }]);
  });

  it('keeps every rule grouped on one value in one row; a due state of a deleted rule is dropped, the others stay', async () => {
    const tenant = await tenantWithRules('corr-drop');
    const handler = worker();
    const rows = async () => (await pool.query<{ group_key: string; states: string }>('SELECT group_key, states FROM correlation_groups WHERE tenant_id = $1', [tenant])).rows.map((r) => ({ group: r.group_key, rules: Object.keys(JSON.parse(r.states) as object).sort() }));
    // Grouped by different fields (host, src_ip) on the same value: one row, two states.
    // The failed login at 12 min is still in its window (5 min + 5 min lateness) at 16 min.
    await handler.handle(asRecords([alert(tenant, 0, { rule_id: 'heartbeat', host: 'shared-1' }), alert(tenant, 12, { src_ip: 'shared-1' })]), Date.now());
    expect(await rows()).toEqual([{ group: '["shared-1"]', rules: ['brute-force-src@1', 'quiet-host@1'] }]);

    expect(await deleteRule(pool, tenant, 'test-engineer', 'quiet-host')).toBe(true);
    await handler.handle(asRecords([alert(tenant, 16, { rule_id: 'unrelated' })]), Date.now());
    expect((await state(tenant)).incidents).toHaveLength(0);
    expect(await rows()).toEqual([{ group: '["shared-1"]', rules: ['brute-force-src@1'] }]);
  });

  it('drops a group nobody alerts on again once the watermark passes its newest event plus timespan and lateness', async () => {
    const tenant = await tenantWithRules('corr-expire');
    const handler = worker();
    const groups = async () => (await pool.query<{ group_key: string }>('SELECT group_key FROM correlation_groups WHERE tenant_id = $1 ORDER BY group_key', [tenant])).rows.map((r) => r.group_key);
    await handler.handle(asRecords([alert(tenant, 0, { src_ip: '192.0.2.77' })]), Date.now());
    expect(await groups()).toEqual(['["192.0.2.77"]']);
    // 5 min timespan + 5 min lateness: at a watermark of 9 min the event can still share a window.
    await handler.handle(asRecords([alert(tenant, 9, { rule_id: 'unrelated' })]), Date.now());
    expect(await groups()).toEqual(['["192.0.2.77"]']);
    await handler.handle(asRecords([alert(tenant, 11, { rule_id: 'unrelated' })]), Date.now());
    expect(await groups()).toEqual([]);
  });

  it('brings a row\'s due time up to date when its rule\'s lateness changed since it was written', async () => {
    const tenant = await tenantWithRules('corr-resettle');
    const handler = worker();
    await handler.handle(asRecords([alert(tenant, 0, { src_ip: '192.0.2.88' })]), Date.now());
    // 5 min timespan + the default 5 min lateness.
    expect(await dueTimes(tenant)).toEqual([T0 + 10 * MIN]);
    expect(await updateSettings(pool, tenant, 'test-engineer', 'brute-force-src', { allowed_lateness_ms: 30 * MIN })).not.toBeNull();
    // The sweep finds the row due at 11 min, but with 30 min of lateness its event still counts.
    await handler.handle(asRecords([alert(tenant, 11, { rule_id: 'unrelated' })]), Date.now());
    expect(await dueTimes(tenant)).toEqual([T0 + 35 * MIN]);
  });

  it('keeps a busy group\'s stored due time while later alerts arrive, and the sweep brings it up to date', async () => {
    const tenant = await tenantWithRules('corr-keepdue');
    const handler = worker();
    await handler.handle(asRecords([alert(tenant, 0, { src_ip: '192.0.2.77' })]), Date.now());
    expect(await dueTimes(tenant)).toEqual([T0 + 10 * MIN]);
    // Its true due time is now 12 min; the stored 10 min stays, so the row is rewritten in place.
    await handler.handle(asRecords([alert(tenant, 2, { src_ip: '192.0.2.77' })]), Date.now());
    expect(await dueTimes(tenant)).toEqual([T0 + 10 * MIN]);
    // Past 10 min the sweep selects the row, finds nothing due (newest event at 2 min) and rewrites it.
    await handler.handle(asRecords([alert(tenant, 10.5, { rule_id: 'unrelated' })]), Date.now());
    expect(await dueTimes(tenant)).toEqual([T0 + 12 * MIN]);
  });

  it('looks up a tenant that is new since the last ANALYZE by group key, not by reading every row of the tenant (migration 015)', async () => {
    const admin = createPool(adminUrlFor(cli.adminDatabaseUrl, 'vigil'), 'vigil-test-correlate-plan');
    const scratch = `groups_plan_probe_${randomBytes(4).toString('hex')}`;
    /** How the lookup of two keys of an unlisted tenant reads the table: index condition and filter. */
    const lookup = async (table: string) => {
      const plan = await admin.query<{ 'QUERY PLAN': { Plan: Record<string, unknown> }[] }>(
        `EXPLAIN (FORMAT JSON) SELECT group_key, states FROM ${table} WHERE tenant_id = $1 AND group_key = ANY($2::text[]) ORDER BY group_key FOR UPDATE`,
        ['tenant-new', ['["10.0.0.1"]', '["bob"]']],
      );
      const scans: Record<string, unknown>[] = [];
      const walk = (node: Record<string, unknown>) => {
        if (node['Relation Name'] === table) scans.push(node);
        for (const child of (node['Plans'] as Record<string, unknown>[] | undefined) ?? []) walk(child);
      };
      walk(plan.rows[0]!['QUERY PLAN'][0]!.Plan);
      expect(scans).toHaveLength(1);
      return { indexCond: String(scans[0]!['Index Cond']), filter: scans[0]!['Filter'] };
    };
    try {
      // Twenty tenants of a thousand groups, analysed: each tenant is a most common value.
      await admin.query(`CREATE TABLE ${scratch} (tenant_id text NOT NULL, group_key text NOT NULL, states text NOT NULL, PRIMARY KEY (tenant_id, group_key))`);
      await admin.query(`INSERT INTO ${scratch} SELECT 'tenant-' || (i % 20), 'k' || i, '{}' FROM generate_series(1, 20000) AS i`);
      await admin.query(`ANALYZE ${scratch}`);
      // The failure the migration prevents: an unlisted tenant is estimated at one row, the key list is a filter.
      expect(await lookup(scratch)).toMatchObject({ indexCond: expect.not.stringContaining('group_key') as unknown, filter: expect.stringContaining('group_key = ANY') as unknown });
      await admin.query(`ALTER TABLE ${scratch} ALTER COLUMN tenant_id SET STATISTICS 1`);
      await admin.query(`ANALYZE ${scratch}`);
      expect(await lookup(scratch)).toEqual({ indexCond: expect.stringContaining('group_key = ANY') as unknown, filter: undefined });
      // And the product's table carries the setting.
      const target = await admin.query<{ attstattarget: number }>("SELECT attstattarget FROM pg_attribute WHERE attrelid = 'correlation_groups'::regclass AND attname = 'tenant_id'");
      expect(target.rows[0]!.attstattarget).toBe(1);
    } finally {
      await admin.query(`DROP TABLE IF EXISTS ${scratch}`);
      await admin.end();
    }
  });

  it('prunes inbox rows and parked duplicates older than the retention and keeps the younger ones', async () => {
    const tenant = uniqueTenant('corr-retention');
    const DAY = 86_400_000;
    const now = Date.now();
    const ids = { old: `${tenant}-old`, young: `${tenant}-young` };
    await pool.query('INSERT INTO inbox (consumer, event_id, processed_at) VALUES ($1, $2, $3), ($1, $4, $5)', [CONSUMER, ids.old, new Date(now - 9 * DAY), ids.young, new Date(now - 7 * DAY)]);
    await pool.query(
      `INSERT INTO correlation_repeats (tenant_id, canonical_id, duplicate_id, event_time, score, parked_at)
       VALUES ($1, $2, $3, now(), 1, $4), ($1, $2, $5, now(), 1, $6)`,
      [tenant, `${tenant}-never-came`, ids.old, new Date(now - 9 * DAY), ids.young, new Date(now - 7 * DAY)],
    );
    const retention = createInboxRetention(pool, CONSUMER, 8 * DAY, 60_000, createLogger({ service: 'correlate-test', level: 'silent' }));
    const removed = await retention.pruneOnce(now);
    expect(removed.inbox).toBeGreaterThanOrEqual(1);
    expect(removed.repeats).toBeGreaterThanOrEqual(1);
    const inbox = await pool.query<{ event_id: string }>('SELECT event_id FROM inbox WHERE consumer = $1 AND event_id = ANY($2) ORDER BY event_id', [CONSUMER, [ids.old, ids.young]]);
    expect(inbox.rows.map((r) => r.event_id)).toEqual([ids.young]);
    const parked = await pool.query<{ duplicate_id: string }>('SELECT duplicate_id FROM correlation_repeats WHERE tenant_id = $1', [tenant]);
    expect(parked.rows.map((r) => r.duplicate_id)).toEqual([ids.young]);
  });

  it('after a failure in the slice, applies nothing behind the failed alert until it is settled', async () => {
    const tenant = await tenantWithRules('corr-order');
    const handler = worker();
    // Postgres refuses NUL in text: this alert fails inside its transaction, not in validation.
    const [first, broken, third] = [alert(tenant, 0), alert(tenant, 0.1, { id: `${tenant}-bad\u0000` }), alert(tenant, 0.2)];
    const outcomes = await handler.handle(asRecords([first, broken, third]), Date.now());
    expect(outcomes.map((o) => o.kind)).toEqual(['done', 'fail', 'deferred']);
    expect((await handler.handle(asRecords([third, alert(tenant, 0.3)]), Date.now())).map((o) => o.kind)).toEqual(['done', 'done']);
    const s = await state(tenant);
    expect(s.incidents).toMatchObject([{ alert_count: 3 }]);
  });

  it('keeps tenants apart even for identical rules and sources; a tenant without rules raises nothing', async () => {
    const a = await tenantWithRules('corr-a');
    const b = await tenantWithRules('corr-b');
    const none = uniqueTenant('corr-none');
    const handler = worker();
    for (const t of [a, b, none]) await handler.handle(asRecords([alert(t, 0), alert(t, 1), alert(t, 2)]), Date.now());
    const [sa, sb, sn] = await Promise.all([state(a), state(b), state(none)]);
    expect(sa.incidents).toHaveLength(1);
    expect(sb.incidents).toHaveLength(1);
    expect(sn.incidents).toHaveLength(0);
    expect(sa.incidents[0]!.id).not.toBe(sb.incidents[0]!.id);
  });

  it('cannot rewrite history: the app role may not change rule versions, incident members or audit rows, nor run DDL', async () => {
    await expect(pool.query("UPDATE rule_versions SET source = 'x' WHERE false")).rejects.toMatchObject({ code: '42501' });
    await expect(pool.query('DELETE FROM rule_versions WHERE false')).rejects.toMatchObject({ code: '42501' });
    await expect(pool.query("UPDATE incident_members SET alert_id = 'x' WHERE false")).rejects.toMatchObject({ code: '42501' });
    await expect(pool.query('DELETE FROM audit_log WHERE false')).rejects.toMatchObject({ code: '42501' });
    await expect(pool.query('DELETE FROM late_alerts WHERE false')).rejects.toMatchObject({ code: '42501' });
    await expect(pool.query('CREATE TABLE vigil_app_ddl_probe (x int)')).rejects.toMatchObject({ code: '42501' });
  });
});
