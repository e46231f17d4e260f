import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSupervisor, type ServiceName } from '@vigil/dev-stack';
import { alertDocsOf, copiesById } from '../support/alert-docs.ts';
import { INGEST_PORT, privatePipelinePlan } from '../support/pipeline.ts';
import { cli, uniqueTenant } from '../support/stack-env.ts';
import { tokenFor } from '../support/tokens.ts';
import { waitFor } from '../support/wait.ts';

/**
 * The run command's supervisor (packages/dev-stack/src/supervisor.ts) with the real services,
 * on the test ports: `kill -9` of a worker mid-stream, and the worker is back by itself
 * and every accepted alert is searchable exactly once.
 */

const stateDir = mkdtempSync(join(tmpdir(), 'vigil-supervisor-'));
const lines: string[] = [];
const supervisor = createSupervisor(cli, (line) => lines.push(line), { stateFile: join(stateDir, 'run-state.json'), instance: `supervised-${process.pid}` });

beforeAll(async () => {
  for (const [name, env] of await privatePipelinePlan()) await supervisor.start(name, env);
});

afterAll(async () => {
  await supervisor.stopAll();
  rmSync(stateDir, { recursive: true, force: true });
});

// Distinct host per alert: distinct fingerprints, so dedup forwards every one.
function alertsFor(from: number, count: number, runId: string): object[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${runId}-${from + i}`,
    rule: { id: `sup-rule-${(from + i) % 7}`, name: 'Supervised kill' },
    severity: 'low',
    event_time: new Date(Date.now() - 60_000).toISOString(),
    observables: { host: `sup-host-${from + i}` },
  }));
}

async function postBatch(token: string, records: object[]): Promise<string[]> {
  const response = await fetch(`http://127.0.0.1:${INGEST_PORT}/v1/alerts/batch`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(records) });
  expect(response.status).toBe(202);
  const body = (await response.json()) as { results: { id?: string }[] };
  return body.results.map((r) => r.id!);
}

/** kill -9 the service's current process and wait until the supervisor has a new one up. */
async function killAndAwaitRestart(name: ServiceName): Promise<void> {
  const victim = supervisor.current(name)!;
  const restartsBefore = supervisor.state(name)!.restarts;
  process.kill(victim.pid, 'SIGKILL');
  await victim.exited;
  await waitFor(async () => (supervisor.state(name)!.restarts > restartsBefore && supervisor.current(name) !== null ? true : undefined));
  expect(supervisor.current(name)!.pid).not.toBe(victim.pid);
  expect(supervisor.state(name)!.lastExit).toBe('signal SIGKILL');
}

describe('kill -9 of a worker under the supervisor', () => {
  it('brings each killed worker back by itself, and every accepted alert is searchable exactly once', async () => {
    const tenant = uniqueTenant('e2e-supervised');
    const token = await tokenFor(tenant, 'sensor');
    const runId = uniqueTenant('sensor');
    const accepted: string[] = [];
    const chunk = 200;

    accepted.push(...(await postBatch(token, alertsFor(0, chunk, runId))));
    // Mid-stream: the first chunk is in flight through dedup and the indexer.
    await killAndAwaitRestart('dedup');
    accepted.push(...(await postBatch(token, alertsFor(chunk, chunk, runId))));
    await killAndAwaitRestart('indexer');
    accepted.push(...(await postBatch(token, alertsFor(2 * chunk, chunk, runId))));
    await killAndAwaitRestart('correlate');
    expect(new Set(accepted).size).toBe(3 * chunk);

    const docs = await waitFor(async () => {
      const found = await alertDocsOf(tenant);
      return found.length >= accepted.length ? found : undefined;
    }, 120_000);
    const copies = copiesById(docs);
    expect([...copies.keys()].sort()).toEqual([...accepted].sort());
    expect([...copies.values()].every((n) => n === 1)).toBe(true);
    expect(lines.filter((l) => / exited with signal SIGKILL; restarting/.test(l))).toHaveLength(3);
  }, 240_000);
});
