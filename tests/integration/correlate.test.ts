import { afterAll, describe, expect, it } from 'vitest';
import { sampleAlert, type Alert } from '@vigil/contracts';
import type { InputRecord } from '@vigil/kafka';
import { createPool } from '@vigil/postgres';
import { createCorrelateHandler } from '../../services/correlate/src/correlate-stage.ts';
import { stackEnv, uniqueTenant } from '../support/stack-env.ts';

// The app role, as the service connects: proves the grants suffice and nothing more is needed.
const pool = createPool(stackEnv['DATABASE_URL']!, 'vigil-test-correlate');

afterAll(async () => {
  await pool.end();
});

function alert(tenant: string, n: number, overrides: Partial<Alert> = {}): Alert {
  return sampleAlert({ id: `${tenant}-alert-${n}`, tenant_id: tenant, rule_id: 'brute-force', rule_name: 'SSH brute force', event_time: Date.UTC(2026, 10, 20, 10, 0) + n * 1000, src_ip: '192.0.2.10', host: `h${n}`, ...overrides });
}

const asRecords = (alerts: Alert[]): InputRecord[] => alerts.map((value, i) => ({ topic: 'alerts.v1', partition: 0, offset: String(i), key: null, value, headers: {}, timestamp: 0 }));

async function state(tenant: string) {
  const incidents = await pool.query<{ id: string; alert_count: number; revision: string }>('SELECT id, alert_count, revision FROM incidents WHERE tenant_id = $1', [tenant]);
  const members = await pool.query<{ n: string }>('SELECT count(*) AS n FROM incident_members WHERE tenant_id = $1', [tenant]);
  const outbox = await pool.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE tenant_id = $1', [tenant]);
  return { incidents: incidents.rows, members: Number(members.rows[0]!.n), outbox: Number(outbox.rows[0]!.n) };
}

describe('correlate stage on real Postgres', () => {
  it('links each alert once and writes exactly one outbox row per change, however often alerts are redelivered (I6)', async () => {
    const tenant = uniqueTenant('corr');
    const handler = createCorrelateHandler(pool);
    const alerts = [alert(tenant, 1), alert(tenant, 2), alert(tenant, 3), alert(tenant, 4, { severity: 'low', severity_score: 30 })];
    const first = await handler.handle(asRecords(alerts), Date.now());
    expect(first.every((o) => o.kind === 'done')).toBe(true);
    // A crash before the commit redelivers a prefix and the whole slice again.
    await handler.handle(asRecords(alerts.slice(0, 2)), Date.now());
    await handler.handle(asRecords(alerts), Date.now());

    const s = await state(tenant);
    expect(s.incidents).toHaveLength(1);
    expect(s.incidents[0]!.alert_count).toBe(3);
    expect(Number(s.incidents[0]!.revision)).toBe(3);
    expect(s.members).toBe(3);
    expect(s.outbox).toBe(3);
  });

  it('after a failure in the slice, applies nothing behind the failed alert until it is settled, so members stay in offset order', async () => {
    const tenant = uniqueTenant('corr-order');
    const handler = createCorrelateHandler(pool);
    // Postgres refuses NUL in text: this alert fails inside its transaction, not in validation.
    const [first, broken, third] = [alert(tenant, 1), alert(tenant, 2, { id: `${tenant}-bad\u0000` }), alert(tenant, 3)];
    const outcomes = await handler.handle(asRecords([first, broken, third]), Date.now());
    expect(outcomes.map((o) => o.kind)).toEqual(['done', 'fail', 'deferred']);
    const held = await state(tenant);
    expect(held.members).toBe(1);
    expect(held.incidents[0]!.alert_count).toBe(1);

    // The runtime dead-letters the broken alert on its last attempt, then hands on the rest.
    expect((await handler.handle(asRecords([third]), Date.now())).map((o) => o.kind)).toEqual(['done']);
    const members = await pool.query<{ alert_id: string }>('SELECT alert_id FROM incident_members WHERE tenant_id = $1 ORDER BY added_at', [tenant]);
    expect(members.rows.map((m) => m.alert_id)).toEqual([first.id, third.id]);
    expect((await state(tenant)).incidents[0]!.revision).toBe('2');
  });

  it('keeps tenants apart even for identical rules and sources', async () => {
    const a = uniqueTenant('corr-a');
    const b = uniqueTenant('corr-b');
    const handler = createCorrelateHandler(pool);
    await handler.handle(asRecords([alert(a, 1), alert(b, 1)]), Date.now());
    const [sa, sb] = await Promise.all([state(a), state(b)]);
    expect(sa.incidents).toHaveLength(1);
    expect(sb.incidents).toHaveLength(1);
    expect(sa.incidents[0]!.id).not.toBe(sb.incidents[0]!.id);
  });

  it('cannot rewrite history: the app role may not update incident members or delete audit rows', async () => {
    await expect(pool.query("UPDATE incident_members SET alert_id = 'x' WHERE false")).rejects.toMatchObject({ code: '42501' });
    await expect(pool.query('DELETE FROM audit_log WHERE false')).rejects.toMatchObject({ code: '42501' });
    await expect(pool.query('CREATE TABLE vigil_app_ddl_probe (x int)')).rejects.toMatchObject({ code: '42501' });
  });
});
