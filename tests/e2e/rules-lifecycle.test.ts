import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipeline, type Pipeline } from '../support/pipeline.ts';
import { uniqueTenant } from '../support/stack-env.ts';
import { tokenFor } from '../support/tokens.ts';
import { waitFor } from '../support/wait.ts';
import { SCENARIO_RULES as RULES } from '../support/scenario-rules.ts';

const OTHER_RULES = `
title: Something else entirely
id: other-tenant-rule
correlation:
  type: event_count
  rules: [anything]
  group-by: [host]
  timespan: 1m
  condition:
    gte: 2
`;

interface IncidentDoc { id: string; rule_id: string; alert_ids: string[]; alert_count: number; severity: string; group_values: Record<string, string> }
interface Answer { status: number; body: Record<string, unknown> & { [k: string]: unknown } }

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline();
});
afterAll(async () => {
  await pipeline?.stop();
});

async function api(token: string, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Answer & { text: string }> {
  const response = await fetch(`${pipeline.queryUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // YAML (export) answers are not JSON.
  }
  return { status: response.status, body: json, text };
}

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const alert = (id: string, name: string, m: number, ip: string, user: string) => ({ rule: { id, name }, severity: 'medium', event_time: ago(m), observables: { src_ip: ip, user, host: 'bastion-1' } });
/** The scenario of the correlation e2e test, posted out of order within the lateness. */
const scenario = () => [
  alert('ssh-failed-login', 'SSH failed login', 9, '203.0.113.10', 'admin'), alert('ssh-failed-login', 'SSH failed login', 8, '203.0.113.10', 'oracle'),
  alert('ssh-login-success', 'SSH login accepted', 5, '203.0.113.10', 'root'), alert('ssh-failed-login', 'SSH failed login', 7, '203.0.113.10', 'test'),
  alert('ssh-failed-login', 'SSH failed login', 9, '203.0.113.11', 'admin'), alert('ssh-failed-login', 'SSH failed login', 8, '203.0.113.11', 'oracle'),
  alert('cve-2021-44228', 'Log4j exploit attempt', 6, '203.0.113.20', 'n/a'), alert('port-scan', 'TCP port scan', 8, '203.0.113.20', 'n/a'),
];

/** Posts the scenario and waits until every alert is searchable and both incidents exist. */
async function liveIncidents(tenant: string): Promise<IncidentDoc[]> {
  const [sensor, analyst] = await Promise.all([tokenFor(tenant, 'sensor'), tokenFor(tenant, 'analyst')]);
  const batch = scenario();
  for (const body of batch) expect((await pipeline.post(sensor, '/v1/alerts', body)).status).toBe(202);
  // Items, not `total`: the count of a page is the same whatever shape `total` takes.
  await waitFor(async () => (((await pipeline.query(analyst, '/v1/alerts?size=100')).body['items'] as unknown[]).length === batch.length ? true : undefined));
  return waitFor(async () => {
    const items = (await pipeline.query(analyst, '/v1/incidents?size=50')).body['items'] as IncidentDoc[];
    return items.length === 2 ? items : undefined;
  });
}

async function simulate(token: string, body: object): Promise<{ incidents: IncidentDoc[]; alerts_read: number; rule: { id: string; version: number } }> {
  const submitted = await api(token, 'POST', '/v1/rules/simulate', body);
  expect(submitted.status).toBe(202);
  const id = submitted.body['id'] as string;
  await waitFor(async () => {
    const status = await api(token, 'GET', `/v1/rules/simulations/${id}`);
    expect(status.status).toBe(200);
    expect(status.body['state']).not.toBe('failed');
    return status.body['state'] === 'completed' ? true : undefined;
  }, 60_000, 250);
  const result = await api(token, 'GET', `/v1/rules/simulations/${id}/result`);
  expect(result.status).toBe(200);
  return result.body as never;
}

const range = () => ({ from: Date.now() - 60 * 60_000, to: Date.now() + 5 * 60_000 });
const shape = (i: IncidentDoc) => `${i.rule_id} ${i.group_values['src_ip']} ${i.alert_count} ${i.severity}`;
const exact = (i: IncidentDoc) => `${i.id} ${[...i.alert_ids].sort().join(',')}`;

describe('rules lifecycle, simulation, export and restore end to end', () => {
  it('simulates exactly the incidents live raised; export into an empty tenant gives the same rules and incidents; other tenants get 404; a tampered restore is refused', async () => {
    const tenant = uniqueTenant('e2e-rules');
    const other = uniqueTenant('e2e-rules-other');
    const empty = uniqueTenant('e2e-rules-copy');
    const [engineer, otherEngineer, otherAdmin, copyEngineer] = await Promise.all([tokenFor(tenant, 'engineer'), tokenFor(other, 'engineer'), tokenFor(other, 'admin'), tokenFor(empty, 'engineer')]);
    expect((await api(engineer, 'POST', '/v1/rules/import', RULES, 'application/yaml')).body).toMatchObject({ imported: 4, rejected: 0 });
    expect((await api(otherEngineer, 'POST', '/v1/rules/import', OTHER_RULES, 'application/yaml')).status).toBe(200);

    // 1. Simulation over the stored alerts raises exactly the live incidents (same ids, same members).
    const live = await liveIncidents(tenant);
    const simulated: IncidentDoc[] = [];
    for (const rule of ['e2e-ssh-brute-force', 'e2e-scan-then-exploit']) {
      const result = await simulate(engineer, { rule_id: rule, ...range() });
      expect(result.rule).toEqual({ id: rule, version: 1 });
      expect(result.alerts_read).toBe(scenario().length);
      simulated.push(...result.incidents);
    }
    expect(simulated.map(exact).sort()).toEqual(live.map(exact).sort());
    // A draft that can never fire raises nothing, and nothing live changed.
    const draft = await simulate(engineer, { yaml: OTHER_RULES, ...range() });
    expect(draft.incidents).toEqual([]);

    // 2. Another tenant: every read, change, simulation, job and export of these rules is 404.
    const key = 'e2e-ssh-brute-force';
    const submitted = await api(engineer, 'POST', '/v1/rules/simulate', { rule_id: key, ...range() });
    expect(submitted.status).toBe(202);
    const jobId = submitted.body['id'] as string;
    const denied = [
      await api(otherEngineer, 'GET', `/v1/rules/${key}`),
      await api(otherEngineer, 'GET', `/v1/rules/${key}/versions`),
      await api(otherEngineer, 'GET', `/v1/rules/${key}/diff?from=1&to=1`),
      await api(otherEngineer, 'PUT', `/v1/rules/${key}`, RULES.split('---')[0], 'application/yaml'),
      await api(otherEngineer, 'PUT', `/v1/rules/${key}/settings`, { reopen_ms: 1 }),
      await api(otherEngineer, 'DELETE', `/v1/rules/${key}`),
      await api(otherEngineer, 'POST', `/v1/rules/${key}/disable`),
      await api(otherEngineer, 'GET', `/v1/rules/export?id=${key}`),
      await api(otherEngineer, 'POST', '/v1/rules/simulate', { rule_id: key, ...range() }),
      await api(otherEngineer, 'GET', `/v1/rules/simulations/${jobId}`),
      await api(otherEngineer, 'GET', `/v1/rules/simulations/${jobId}/result`),
      await api(otherEngineer, 'POST', `/v1/rules/simulations/${jobId}/cancel`),
    ];
    expect(denied.map((d) => d.status)).toEqual(denied.map(() => 404));
    await waitFor(async () => ((await api(engineer, 'GET', `/v1/rules/simulations/${jobId}`)).body['state'] === 'completed' ? true : undefined), 60_000, 250);
    // The other tenant's whole export holds only its own rule.
    expect((await api(otherEngineer, 'GET', '/v1/rules/export')).text).not.toContain('sim-');

    // 3. Backup is admin only; restore goes into the caller's tenant only; a tampered file is refused.
    expect((await api(engineer, 'GET', '/v1/rules/backup')).status).toBe(403);
    const adminToken = await tokenFor(tenant, 'admin');
    const backup = (await api(adminToken, 'GET', '/v1/rules/backup')).body as { rules: Array<{ source: string }>; checksum: string; tenant_id: string };
    expect(backup.rules).toHaveLength(4);
    // Raise a threshold by hand, leaving the checksum as exported.
    const tampered = { ...backup, rules: backup.rules.map((r) => ({ ...r, source: r.source.replace('gte: 3', 'gte: 300') })) };
    expect(JSON.stringify(tampered.rules)).not.toBe(JSON.stringify(backup.rules));
    const refused = await api(otherAdmin, 'POST', '/v1/rules/restore', tampered);
    expect(refused.status).toBe(422);
    expect((refused.body['error'] as { code: string }).code).toBe('BACKUP_REJECTED');
    expect(((await api(otherEngineer, 'GET', '/v1/rules')).body['items'] as unknown[]).length).toBe(1);
    const restored = await api(otherAdmin, 'POST', '/v1/rules/restore', backup);
    expect(restored.body).toMatchObject({ restored: 4, new_versions: 4 });
    // It landed in the caller's tenant; the origin tenant's rules and audit are untouched.
    expect(((await api(otherEngineer, 'GET', '/v1/rules')).body['items'] as unknown[]).length).toBe(5);
    const audit = (await api(engineer, 'GET', '/v1/rules/audit')).body['items'] as Array<{ action: string }>;
    expect(audit.map((a) => a.action)).toEqual(['rules.import']);
    const otherAudit = (await api(otherEngineer, 'GET', '/v1/rules/audit')).body['items'] as Array<{ action: string; detail: { checksum?: string } }>;
    expect(otherAudit[0]).toMatchObject({ action: 'rules.restore', detail: { checksum: backup.checksum } });

    // 4. Export, import into an empty tenant: the same rules, and on the same alerts the same incidents.
    const exported = await api(engineer, 'GET', '/v1/rules/export');
    expect(exported.status).toBe(200);
    expect((await api(copyEngineer, 'POST', '/v1/rules/import', exported.text, 'application/yaml')).body).toMatchObject({ imported: 4, rejected: 0 });
    const list = async (token: string) => ((await api(token, 'GET', '/v1/rules')).body['items'] as Array<Record<string, unknown>>).map((r) => [r['id'], r['kind'], r['type'], r['version'], r['enabled']]);
    expect(await list(copyEngineer)).toEqual(await list(engineer));
    const copyLive = await liveIncidents(empty);
    expect(copyLive.map(shape).sort()).toEqual(live.map(shape).sort());
    // Re-importing the export into the original tenant changes nothing.
    expect((await api(engineer, 'POST', '/v1/rules/import', exported.text, 'application/yaml')).body).toMatchObject({ unchanged: 4 });
  });

  it('changes a rule as a new version with history, diff, settings and audit; a stale base version conflicts; delete is soft', async () => {
    const tenant = uniqueTenant('e2e-rules-life');
    const engineer = await tokenFor(tenant, 'engineer');
    const v1 = RULES.split('---')[2]!;
    expect((await api(engineer, 'POST', '/v1/rules', v1, 'application/yaml')).status).toBe(201);
    expect((await api(engineer, 'POST', '/v1/rules', v1, 'application/yaml')).status).toBe(409);
    const v2 = v1.replace('timespan: 30m', 'timespan: 45m');
    expect((await api(engineer, 'PUT', '/v1/rules/e2e-scan-then-exploit?base_version=1', v2, 'application/yaml')).body).toMatchObject({ version: 2, status: 'updated' });
    const stale = await api(engineer, 'PUT', '/v1/rules/e2e-scan-then-exploit?base_version=1', v1, 'application/yaml');
    expect(stale.status).toBe(409);
    const diff = await api(engineer, 'GET', '/v1/rules/e2e-scan-then-exploit/diff?from=1&to=2');
    expect(diff.body['diff']).toContain('-  timespan: 30m\n+  timespan: 45m');
    const bad = await api(engineer, 'PUT', '/v1/rules/e2e-scan-then-exploit/settings', { reopen_ms: -1 });
    expect(bad.status).toBe(400);
    expect((await api(engineer, 'PUT', '/v1/rules/e2e-scan-then-exploit/settings', { reopen_ms: 60_000, severity_override: 'high' })).status).toBe(200);
    expect((await api(engineer, 'GET', '/v1/rules/e2e-scan-then-exploit')).body['settings']).toEqual({ reopen_ms: 60_000, severity_override: 'high' });
    expect((await api(engineer, 'DELETE', '/v1/rules/e2e-scan-then-exploit')).status).toBe(200);
    expect((await api(engineer, 'GET', '/v1/rules/e2e-scan-then-exploit')).status).toBe(404);
    const history = (await api(engineer, 'GET', '/v1/rules/e2e-scan-then-exploit/versions')).body['items'] as Array<{ version: number }>;
    expect(history.map((v) => v.version)).toEqual([2, 1]);
    const audit = (await api(engineer, 'GET', '/v1/rules/audit?rule_id=e2e-scan-then-exploit')).body['items'] as Array<{ action: string; detail: Record<string, unknown> }>;
    expect(audit.map((a) => a.action)).toEqual(['rules.delete', 'rules.settings', 'rules.change', 'rules.create']);
    expect(audit[1]!.detail).toEqual({ rule: 'e2e-scan-then-exploit', before: {}, after: { reopen_ms: 60_000, severity_override: 'high' } });
  });
});
