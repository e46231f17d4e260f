import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stages, topics } from '@vigil/contracts';
import { groupLag } from '@vigil/kafka';
import { testKafka } from '../support/kafka.ts';
import { SCENARIO_RULES as RULES } from '../support/scenario-rules.ts';
import { startPipeline, type Pipeline } from '../support/pipeline.ts';
import { startService } from '../support/services.ts';
import { uniqueGroup, uniqueTenant } from '../support/stack-env.ts';
import { tokenFor } from '../support/tokens.ts';
import { waitFor } from '../support/wait.ts';


let pipeline: Pipeline;

beforeAll(async () => {
  pipeline = await startPipeline();
});

afterAll(async () => {
  await pipeline?.stop();
});

interface IncidentDoc {
  id: string;
  tenant_id: string;
  rule_id: string;
  rule_version: number;
  severity: string;
  alert_ids: string[];
  alert_count: number;
  group_values: Record<string, string>;
  tags: string[];
  revision: number;
}

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

function alert(rule: { id: string; name: string }, minutesAgo: number, srcIp: string, user: string): object {
  // A distinct user per attempt: dedup forwards each (same user and source would be one canonical alert).
  return { rule, severity: 'medium', event_time: ago(minutesAgo), observables: { src_ip: srcIp, user, host: 'bastion-1' } };
}

const failed = (m: number, ip: string, user: string) => alert({ id: 'ssh-failed-login', name: 'SSH failed login' }, m, ip, user);
const success = (m: number, ip: string) => alert({ id: 'ssh-login-success', name: 'SSH login accepted' }, m, ip, 'root');
const scan = (m: number, ip: string) => alert({ id: 'port-scan', name: 'TCP port scan' }, m, ip, 'n/a');
const exploit = (m: number, ip: string) => alert({ id: 'cve-2021-44228', name: 'Log4j exploit attempt' }, m, ip, 'n/a');

async function importRules(tenant: string, yaml: string): Promise<Response> {
  const token = await tokenFor(tenant, 'engineer');
  return fetch(`${pipeline.queryUrl}/v1/rules/import`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/yaml' }, body: yaml });
}

describe('correlation end to end', () => {
  it('raises exactly the expected incidents for brute force and scan-then-exploit, also out of order; a reversed sequence raises none; another tenant sees none', async () => {
    const tenant = uniqueTenant('e2e-corr');
    const other = uniqueTenant('e2e-corr-other');
    const imported = await importRules(tenant, RULES);
    expect(imported.status).toBe(200);
    expect(await imported.json()).toMatchObject({ imported: 4, rejected: 0 });
    // The other tenant has the very same rules: isolation must not rest on having none.
    expect((await importRules(other, RULES)).status).toBe(200);

    const [sensor, analyst, otherAnalyst] = await Promise.all([tokenFor(tenant, 'sensor'), tokenFor(tenant, 'analyst'), tokenFor(other, 'analyst')]);
    // Brute force from .10, posted out of order (the third failure last but one); the
    // same from .11 without the success; scan→exploit from .20 posted exploit first;
    // exploit→scan (reversed) from .30; from .40 the same failed login three times (dedup
    // folds them into one alert and two duplicates, which still count), then a success.
    // Event times span 4 minutes: within the lateness.
    const repeated = [failed(9, '203.0.113.40', 'admin'), failed(8.5, '203.0.113.40', 'admin'), failed(8, '203.0.113.40', 'admin'), success(6, '203.0.113.40')];
    const batch = [
      ...repeated,
      failed(9, '203.0.113.10', 'admin'), failed(8, '203.0.113.10', 'oracle'), success(5, '203.0.113.10'), failed(7, '203.0.113.10', 'test'),
      failed(9, '203.0.113.11', 'admin'), failed(8, '203.0.113.11', 'oracle'), failed(7, '203.0.113.11', 'test'),
      exploit(6, '203.0.113.20'), scan(8, '203.0.113.20'),
      exploit(8, '203.0.113.30'), scan(6, '203.0.113.30'),
    ];
    for (const body of batch) expect((await pipeline.post(sensor, '/v1/alerts', body)).status).toBe(202);

    const incidents = await waitFor(async () => {
      const r = await pipeline.query(analyst, '/v1/incidents?size=50');
      const items = r.body['items'] as IncidentDoc[];
      const bruteForce = items.filter((i) => i.rule_id === 'e2e-ssh-brute-force');
      const scanExploit = items.find((i) => i.rule_id === 'e2e-scan-then-exploit');
      return bruteForce.length === 2 && scanExploit ? items : undefined;
    });
    expect(incidents.map((i) => `${i.rule_id} ${i.group_values['src_ip']}`).sort()).toEqual(['e2e-scan-then-exploit 203.0.113.20', 'e2e-ssh-brute-force 203.0.113.10', 'e2e-ssh-brute-force 203.0.113.40']);
    const bruteForce = incidents.find((i) => i.rule_id === 'e2e-ssh-brute-force' && i.group_values['src_ip'] === '203.0.113.10')!;
    expect(bruteForce).toMatchObject({ tenant_id: tenant, severity: 'high', rule_version: 1, tags: ['attack.credential_access', 'attack.t1110'] });
    const scanExploit = incidents.find((i) => i.rule_id === 'e2e-scan-then-exploit')!;
    expect(scanExploit).toMatchObject({ severity: 'critical', alert_count: 2 });

    // Every alert is indexed before the negative assertions, so "none" is not "not yet".
    await waitFor(async () => (((await pipeline.query(analyst, '/v1/alerts?size=100')).body['total'] as { value: number }).value === batch.length - 2 ? true : undefined));
    const settled = (await pipeline.query(analyst, '/v1/incidents?size=50')).body['items'] as IncidentDoc[];
    expect(settled.map((i) => i.id).sort()).toEqual(incidents.map((i) => i.id).sort());

    expect(((await pipeline.query(otherAnalyst, '/v1/incidents?size=50')).body['items'] as unknown[]).length).toBe(0);
    expect((await pipeline.query(otherAnalyst, `/v1/incidents/${bruteForce.id}`)).status).toBe(404);

    // A full replay of alerts.v1 from offset zero (a new consumer group) changes nothing.
    const replayGroup = uniqueGroup('correlate-replay');
    const replay = await startService('correlate', { CONSUMER_GROUP: replayGroup, METRICS_PORT: '19514' });
    try {
      const kafka = testKafka();
      await waitFor(async () => {
        const lag = await groupLag(kafka, replayGroup, topics.alerts.name);
        return lag.size > 0 && [...lag.values()].every((n) => n === 0) ? true : undefined;
      }, 120_000, 1000);
    } finally {
      await replay.stop();
    }
    const after = (await pipeline.query(analyst, '/v1/incidents?size=50')).body['items'] as IncidentDoc[];
    expect(after.map((i) => [i.id, i.revision, i.alert_count]).sort()).toEqual(settled.map((i) => [i.id, i.revision, i.alert_count]).sort());
    expect(stages.correlate.groupId).not.toBe(replayGroup);
  });

  it('reports each rejected document with its line and the unsupported feature, and imports the rest', async () => {
    const tenant = uniqueTenant('e2e-rules');
    const response = await importRules(tenant, `title: fine
correlation:
  type: event_count
  rules: [r1]
  group-by: [host]
  timespan: 1h
  condition: {gte: 2}
---
title: uses an unsupported modifier
detection:
  selection:
    CommandLine|expand: '%Servers%'
  condition: selection
`);
    expect(response.status).toBe(200);
    const report = (await response.json()) as { imported: number; rejected: number; rules: Array<{ status: string; problems?: Array<{ line: number; feature?: string }> }> };
    expect(report).toMatchObject({ imported: 1, rejected: 1 });
    expect(report.rules[1]!.problems![0]).toMatchObject({ line: 12, feature: 'modifier expand' });

    const allBad = await importRules(tenant, 'title: x\ncorrelation:\n  type: nope\n');
    expect(allBad.status).toBe(422);
    expect(((await allBad.json()) as { error: { code: string } }).error.code).toBe('RULE_INVALID');
    const analyst = await tokenFor(tenant, 'analyst');
    const cannotWrite = await fetch(`${pipeline.queryUrl}/v1/rules/import`, { method: 'POST', headers: { authorization: `Bearer ${analyst}`, 'content-type': 'application/yaml' }, body: 'title: x' });
    expect(cannotWrite.status).toBe(403);
    const listed = await pipeline.query(analyst, '/v1/rules');
    expect((listed.body['items'] as Array<{ title: string }>).map((r) => r.title)).toEqual(['fine']);
  });
});
