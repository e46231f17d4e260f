import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stages } from '@vigil/contracts';
import { createSupervisor, instancePlan, parseWorkerCounts, servicePorts } from '@vigil/dev-stack';
import { groupMembers, ownedPartitions, withAdmin } from '@vigil/kafka';
import { copiesOnceIndexed } from '../support/alert-docs.ts';
import { testKafka } from '../support/kafka.ts';
import { INGEST_PORT, privatePipelinePlan } from '../support/pipeline.ts';
import { cli, uniqueTenant } from '../support/stack-env.ts';
import { tokenFor } from '../support/tokens.ts';
import { waitFor } from '../support/wait.ts';

/**
 * `VIGIL_WORKERS=dedup:2,indexer:2` as `vigil run` starts it (the supervisor and the
 * instance plan of packages/dev-stack): the two instances of a stage join one consumer
 * group, split its partitions between them, both handle records, and every accepted
 * alert is searchable exactly once.
 */
const kafka = testKafka();
const stateDir = mkdtempSync(join(tmpdir(), 'vigil-scaled-'));
const supervisor = createSupervisor(cli, () => undefined, { stateFile: join(stateDir, 'run-state.json'), instance: `scaled-${process.pid}` });
const counts = parseWorkerCounts('dedup:2,indexer:2');
let plan: Awaited<ReturnType<typeof privatePipelinePlan>>;

beforeAll(async () => {
  plan = (await privatePipelinePlan()).filter(([name]) => name !== 'query-api');
  for (const { name, env, instance } of instancePlan(plan, counts, (n) => servicePorts[n].metrics)) await supervisor.start(name, env, instance);
});

afterAll(async () => {
  await supervisor.stopAll();
  rmSync(stateDir, { recursive: true, force: true });
});

const groupOf = (stage: 'dedup' | 'indexer') => plan.find(([name]) => name === stage)![1]['CONSUMER_GROUP']!;

/** The group once it is stable with two members that both own partitions. */
async function sharedGroup(stage: 'dedup' | 'indexer') {
  return waitFor(async () => {
    const group = await withAdmin(kafka, (admin) => groupMembers(admin, groupOf(stage)));
    return group.state === 'Stable' && group.members.length === 2 && group.members.every((m) => ownedPartitions(m) > 0) ? group : undefined;
  }, 90_000, 500);
}

async function recordsIn(opsUrl: string): Promise<number> {
  const text = await (await fetch(`${opsUrl}/metrics`)).text();
  return [...text.matchAll(/^vigil_stage_records_in_total\{[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
}

describe('two instances of a worker under the supervisor', () => {
  it('split the partitions of their group, both work, and every accepted alert is searchable exactly once', async () => {
    for (const stage of ['dedup', 'indexer'] as const) {
      const group = await sharedGroup(stage);
      // Disjoint and complete: every partition of the stage's inputs has exactly one owner.
      const owned = group.members.flatMap((m) => Object.entries(m.partitions).flatMap(([topic, ps]) => ps.map((p) => `${topic}:${p}`)));
      expect(new Set(owned).size).toBe(owned.length);
      const partitions = await withAdmin(kafka, async (admin) => (await Promise.all(stages[stage].inputs.map(async (t) => (await admin.fetchTopicOffsets(t.name)).map((o) => `${t.name}:${o.partition}`)))).flat());
      expect(owned.sort()).toEqual(partitions.sort());
    }

    const tenant = uniqueTenant('e2e-scaled');
    const token = await tokenFor(tenant, 'sensor');
    // Forty rules: keys (tenant|rule) on every partition of alerts.raw.v1; a host each: no duplicates.
    const alerts = Array.from({ length: 400 }, (_, i) => ({ rule: { id: `scaled-rule-${i % 40}`, name: 'Scaled' }, severity: 'low', event_time: new Date(Date.now() - 60_000).toISOString(), observables: { host: `scaled-host-${i}` } }));
    const accepted: string[] = [];
    for (let i = 0; i < alerts.length; i += 100) {
      const response = await fetch(`http://127.0.0.1:${INGEST_PORT}/v1/alerts/batch`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(alerts.slice(i, i + 100)) });
      expect(response.status).toBe(202);
      accepted.push(...((await response.json()) as { results: { id: string }[] }).results.map((r) => r.id));
    }
    const copies = await copiesOnceIndexed(tenant, accepted.length);
    expect([...copies.keys()].sort()).toEqual([...accepted].sort());
    expect([...copies.values()].every((n) => n === 1)).toBe(true);

    for (const stage of ['dedup', 'indexer'] as const) {
      const handled = await Promise.all([1, 2].map((instance) => recordsIn(supervisor.current(stage, instance)!.opsUrl)));
      expect(handled.every((n) => n > 0)).toBe(true);
    }
  }, 300_000);
});
