import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { stages } from '@vigil/contracts';
import { alertDocsOf, copiesById } from './alert-docs.ts';
import type { FaultPipeline, Worker } from './fault-pipeline.ts';
import { readTopic } from './kafka.ts';
import { SCENARIO_RULES } from './scenario-rules.ts';
import { uniqueTenant } from './stack-env.ts';
import { tokenFor } from './tokens.ts';
import { waitFor } from './wait.ts';

/**
 * The fault matrix's bookkeeping for one tenant: every alert sent and every one the gateway
 * accepted (its id from the 202/207 answer), the incidents the scenario must raise, and
 * after the fault the same numbers read back from OpenSearch, the DLQs and the query API.
 * "lost" is accepted but neither indexed nor dead-lettered; "duplicated" is an id with more
 * than one document.
 */
export interface LedgerReport {
  readonly fault: string;
  readonly sent: number;
  readonly accepted: number;
  readonly indexed: number;
  readonly deadLettered: number;
  readonly duplicated: number;
  readonly lost: number;
  readonly incidentsExpected: number;
  readonly incidentsRaised: number;
}

export interface FaultLedger {
  readonly tenant: string;
  /** Distinct alerts (distinct hosts, so dedup forwards each), posted as one batch; the HTTP status. */
  sendFillers(count: number): Promise<number>;
  /** The SSH brute force and scan-then-exploit scenario (event times 9 to 5 minutes ago): two incidents. */
  sendScenario(): Promise<void>;
  /** Wait until everything accepted is accounted for (or the deadline), then count. */
  settle(fault: string): Promise<LedgerReport>;
}

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const alert = (id: string, name: string, m: number, ip: string, user: string) => ({ rule: { id, name }, severity: 'medium', event_time: ago(m), observables: { src_ip: ip, user, host: 'bastion-1' } });
/** Two incidents: .10 fails three times then logs in; .20 scans then exploits; .11 fails only twice. */
const scenario = () => [
  alert('ssh-failed-login', 'SSH failed login', 9, '203.0.113.10', 'admin'), alert('ssh-failed-login', 'SSH failed login', 8, '203.0.113.10', 'oracle'),
  alert('ssh-failed-login', 'SSH failed login', 7, '203.0.113.10', 'test'), alert('ssh-login-success', 'SSH login accepted', 5, '203.0.113.10', 'root'),
  alert('ssh-failed-login', 'SSH failed login', 9, '203.0.113.11', 'admin'), alert('ssh-failed-login', 'SSH failed login', 8, '203.0.113.11', 'oracle'),
  alert('port-scan', 'TCP port scan', 8, '203.0.113.20', 'n/a'), alert('cve-2021-44228', 'Log4j exploit attempt', 6, '203.0.113.20', 'n/a'),
];
const SCENARIO_INCIDENTS = 2;

export async function createFaultLedger(urls: { ingestUrl: string; queryUrl: string }, prefix: string): Promise<FaultLedger> {
  const tenant = uniqueTenant(prefix);
  const [sensor, engineer] = await Promise.all([tokenFor(tenant, 'sensor'), tokenFor(tenant, 'engineer')]);
  const imported = await fetch(`${urls.queryUrl}/v1/rules/import`, { method: 'POST', headers: { authorization: `Bearer ${engineer}`, 'content-type': 'application/yaml' }, body: SCENARIO_RULES });
  if (imported.status !== 200) throw new Error(`importing the scenario rules answered ${imported.status}`);
  const accepted = new Set<string>();
  let sent = 0;
  let incidentsExpected = 0;
  const run = randomBytes(4).toString('hex');
  // Fillers are older than the whole scenario, whenever they are sent: partitions are
  // consumed in any order, and a newer filler handled first would move the tenant's
  // watermark past the scenario's allowed lateness (its alerts would then be late).
  const fillerTime = new Date(Date.now() - 10 * 60_000).toISOString();
  let next = 0;

  async function post(records: object[]): Promise<number> {
    sent += records.length;
    const response = await fetch(`${urls.ingestUrl}/v1/alerts/batch`, { method: 'POST', headers: { authorization: `Bearer ${sensor}`, 'content-type': 'application/json' }, body: JSON.stringify(records) });
    // Anything but 202/207 accepted nothing (503 during a Kafka outage, for instance).
    if (response.status !== 202 && response.status !== 207) return response.status;
    const body = (await response.json()) as { results: Array<{ id?: string; status?: string }> };
    for (const r of body.results) if (r.id && r.status !== 'rejected') accepted.add(r.id);
    return response.status;
  }

  async function incidentsRaised(): Promise<number> {
    const analyst = await tokenFor(tenant, 'analyst');
    const response = await fetch(`${urls.queryUrl}/v1/incidents?size=50`, { headers: { authorization: `Bearer ${analyst}` } });
    return ((await response.json()) as { items: unknown[] }).items.length;
  }

  async function deadLettered(): Promise<number> {
    // A dead letter keeps the original bytes; Avro writes strings as plain UTF-8, so the tenant is findable.
    let count = 0;
    for (const stage of [stages.dedup, stages.correlate, stages.indexer]) {
      for (const record of await readTopic(stage.dlq)) if (record.value?.toString('utf8').includes(tenant)) count++;
    }
    return count;
  }

  return {
    tenant,
    async sendFillers(count) {
      const from = next;
      next += count;
      return post(Array.from({ length: count }, (_, i) => ({ id: `${run}-${from + i}`, rule: { id: `fault-rule-${(from + i) % 5}`, name: 'Fault matrix' }, severity: 'low', event_time: fillerTime, observables: { host: `fault-host-${from + i}` } })));
    },
    async sendScenario() {
      incidentsExpected += SCENARIO_INCIDENTS;
      if ((await post(scenario())) !== 202) throw new Error('the scenario must be accepted whole');
    },
    async settle(fault) {
      const settled = async () => {
        const ids = new Set((await alertDocsOf(tenant)).map((d) => d.id));
        return [...accepted].every((id) => ids.has(id)) && (await incidentsRaised()) >= incidentsExpected ? true : undefined;
      };
      // A lost alert shows as a deadline passed; the report below then says which numbers are off.
      await waitFor(settled, 150_000, 500).catch(() => undefined);
      const copies = copiesById(await alertDocsOf(tenant));
      const indexed = [...accepted].filter((id) => copies.has(id)).length;
      const dead = await deadLettered();
      const report: LedgerReport = {
        fault, sent, accepted: accepted.size, indexed, deadLettered: dead,
        duplicated: [...copies.values()].filter((n) => n > 1).length,
        lost: Math.max(0, accepted.size - indexed - dead),
        incidentsExpected, incidentsRaised: await incidentsRaised(),
      };
      process.stdout.write(`[fault-matrix] ${Object.entries(report).map(([k, v]) => `${k}=${v}`).join(' ')}\n`);
      return report;
    },
  };
}

/** I1 and the incidents, for a fault that must lose, duplicate and dead-letter nothing. */
export function expectClean(report: LedgerReport): void {
  expect(report.accepted).toBe(report.sent);
  expect(report.lost).toBe(0);
  expect(report.duplicated).toBe(0);
  expect(report.deadLettered).toBe(0);
  expect(report.indexed).toBe(report.accepted);
  expect(report.incidentsRaised).toBe(report.incidentsExpected);
}

/** Alerts in flight, the worker goes down, more alerts arrive while it is down, it comes back. */
export async function workerDown(pipeline: FaultPipeline, worker: Worker, signal: NodeJS.Signals, prefix: string): Promise<LedgerReport> {
  const ledger = await createFaultLedger(pipeline, prefix);
  await ledger.sendScenario();
  await ledger.sendFillers(150);
  await pipeline.stopWorker(worker, signal);
  await ledger.sendFillers(150);
  await pipeline.startWorker(worker);
  await ledger.sendFillers(50);
  return ledger.settle(`${signal} ${worker} mid-batch`);
}
