import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipeline, type Pipeline } from '../support/pipeline.ts';
import { uniqueTenant } from '../support/stack-env.ts';
import { tokenFor } from '../support/tokens.ts';
import { waitFor } from '../support/wait.ts';

let pipeline: Pipeline;

beforeAll(async () => {
  pipeline = await startPipeline();
});

afterAll(async () => {
  await pipeline?.stop();
});

const post = (token: string, path: string, body: unknown) => pipeline.post(token, path, body);
const query = (token: string, path: string) => pipeline.query(token, path);

function vigilAlert(rule: string, n: number): object {
  return { rule: { id: rule, name: `Test rule ${rule}` }, severity: 'high', event_time: new Date(Date.now() - n * 1000).toISOString(), observables: { host: `host-${n}`, src_ip: `10.9.0.${n + 1}` } };
}

function suricataAlert(sid: number, n: number): object {
  return {
    timestamp: new Date(Date.now() - n * 1000).toISOString(),
    event_type: 'alert',
    src_ip: `198.51.100.${n + 1}`,
    src_port: 51000 + n,
    dest_ip: '10.0.0.5',
    dest_port: 443,
    proto: 'TCP',
    alert: { signature_id: sid, signature: `ET TEST signature ${sid}`, category: 'Misc activity', severity: 2 },
  };
}

describe('one alert end to end, two tenants', () => {
  it('shows each tenant exactly its own alerts, each exactly once', async () => {
    const tenantA = uniqueTenant('e2e-a');
    const tenantB = uniqueTenant('e2e-b');
    const [sensorA, sensorB, analystA, analystB] = await Promise.all([tokenFor(tenantA, 'sensor'), tokenFor(tenantB, 'sensor'), tokenFor(tenantA, 'analyst'), tokenFor(tenantB, 'analyst')]);

    const idsA: string[] = [];
    for (let n = 0; n < 3; n++) {
      const r = await post(sensorA, '/v1/alerts', vigilAlert(`rule-a-${n}`, n));
      expect(r.status).toBe(202);
      idsA.push(r.body['id'] as string);
    }
    const idsB: string[] = [];
    for (let n = 0; n < 2; n++) {
      const r = await post(sensorB, '/v1/alerts?format=suricata', suricataAlert(2_000_000 + n, n));
      expect(r.status).toBe(202);
      idsB.push(r.body['id'] as string);
    }

    const seenA = await waitFor(async () => {
      const r = await query(analystA, '/v1/alerts?size=100');
      return (r.body['total'] as { value: number }).value === 3 ? (r.body['items'] as { id: string; tenant_id: string }[]) : undefined;
    });
    const seenB = await waitFor(async () => {
      const r = await query(analystB, '/v1/alerts?size=100');
      return (r.body['total'] as { value: number }).value === 2 ? (r.body['items'] as { id: string; tenant_id: string }[]) : undefined;
    });
    expect(seenA.map((a) => a.id).sort()).toEqual([...idsA].sort());
    expect(seenB.map((a) => a.id).sort()).toEqual([...idsB].sort());
    expect(seenA.every((a) => a.tenant_id === tenantA)).toBe(true);
    expect(seenB.every((a) => a.tenant_id === tenantB)).toBe(true);

    // Newest first.
    const times = (seenA as unknown as { event_time: number }[]).map((a) => a.event_time);
    expect([...times].sort((x, y) => y - x)).toEqual(times);
  });

  it("answers 404 to tenant B for tenant A's alert id, and B's searches never show A's alerts", async () => {
    const tenantA = uniqueTenant('e2e-a');
    const tenantB = uniqueTenant('e2e-b');
    const [sensorA, analystA, analystB] = await Promise.all([tokenFor(tenantA, 'sensor'), tokenFor(tenantA, 'analyst'), tokenFor(tenantB, 'analyst')]);
    const posted = await post(sensorA, '/v1/alerts', vigilAlert('secret-rule', 1));
    expect(posted.status).toBe(202);
    const id = posted.body['id'] as string;

    const own = await waitFor(async () => {
      const r = await query(analystA, `/v1/alerts/${id}`);
      return r.status === 200 ? r.body : undefined;
    });
    expect(own['id']).toBe(id);
    expect(own['rule_id']).toBe('secret-rule');

    const foreign = await query(analystB, `/v1/alerts/${id}`);
    expect(foreign.status).toBe(404);
    expect((foreign.body['error'] as { code: string }).code).toBe('NOT_FOUND');
    for (const path of ['/v1/alerts?size=500', '/v1/alerts?q=secret-rule', `/v1/alerts?rule_id=secret-rule`]) {
      const r = await query(analystB, path);
      expect(r.status).toBe(200);
      expect((r.body['items'] as { id: string }[]).map((a) => a.id)).not.toContain(id);
    }
  });

  it('correlates alerts of one source into one incident by an imported rule, visible only to its tenant', async () => {
    const tenantA = uniqueTenant('e2e-inc');
    const tenantB = uniqueTenant('e2e-inc-b');
    const [sensorA, analystA, analystB, engineerA] = await Promise.all([tokenFor(tenantA, 'sensor'), tokenFor(tenantA, 'analyst'), tokenFor(tenantB, 'analyst'), tokenFor(tenantA, 'engineer')]);
    const rule = 'title: Lateral movement from one source\nid: lateral-by-source\ncorrelation:\n  type: event_count\n  rules: [lateral-movement]\n  group-by: [src_ip]\n  timespan: 1h\n  condition: {gte: 2}\n';
    const imported = await fetch(`${pipeline.queryUrl}/v1/rules/import`, { method: 'POST', headers: { authorization: `Bearer ${engineerA}`, 'content-type': 'application/yaml' }, body: rule });
    expect(imported.status).toBe(200);
    const ids: string[] = [];
    // Three distinct hosts so dedup forwards all three; one source ip and rule, so one incident.
    for (let n = 0; n < 3; n++) {
      const alert = { rule: { id: 'lateral-movement', name: 'SMB lateral movement' }, severity: 'critical', event_time: new Date(Date.now() - n * 1000).toISOString(), observables: { host: `ws-${n}`, src_ip: '10.20.0.7' } };
      const r = await post(sensorA, '/v1/alerts', alert);
      expect(r.status).toBe(202);
      ids.push(r.body['id'] as string);
    }
    const incident = await waitFor(async () => {
      const r = await query(analystA, '/v1/incidents');
      const items = r.body['items'] as { alert_count: number; alert_ids: string[]; tenant_id: string; severity: string; id: string }[];
      return items.length === 1 && items[0]!.alert_count === 3 ? items[0]! : undefined;
    });
    expect([...incident.alert_ids].sort()).toEqual([...ids].sort());
    expect(incident.severity).toBe('critical');
    expect(incident.tenant_id).toBe(tenantA);
    const foreign = await query(analystB, `/v1/incidents/${incident.id}`);
    expect(foreign.status).toBe(404);
    expect(((await query(analystB, '/v1/incidents')).body['items'] as unknown[]).length).toBe(0);
  });

  it('refuses requests without a token and tokens without the permission', async () => {
    const tenant = uniqueTenant('e2e-auth');
    const noToken = await fetch(`${pipeline.queryUrl}/v1/alerts`);
    expect(noToken.status).toBe(401);
    const sensor = await tokenFor(tenant, 'sensor');
    const wrongRole = await query(sensor, '/v1/alerts');
    expect(wrongRole.status).toBe(403);
    const analyst = await tokenFor(tenant, 'analyst');
    const cannotWrite = await post(analyst, '/v1/alerts', vigilAlert('x', 1));
    expect(cannotWrite.status).toBe(403);
  });
});
