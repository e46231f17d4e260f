import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { stages } from '@vigil/contracts';
import { alertDocsOf, copiesById } from './alert-docs.ts';
import type { FaultPipeline, Worker } from './fault-pipeline.ts';
import { readTopic } from './kafka.ts';
import { buildPoison, producePoison, type PoisonKind, type PoisonPosition } from './poison.ts';
import { SCENARIO_RULES } from './scenario-rules.ts';
import { uniqueTenant } from './stack-env.ts';
import { tokenFor } from './tokens.ts';
import { waitFor } from './wait.ts';

/**
 * The fault matrix's bookkeeping for one tenant: every alert sent and every one the gateway
 * accepted (its id from the 202/207 answer), the incidents the scenario must raise, and
 * after the fault the same numbers read back from OpenSearch, the DLQs and the query API.
 * Poison goes straight to Kafka (the gateway would refuse it): once the broker acked it,
 * it counts as accepted and is owed to a DLQ. "lost" is accepted but neither indexed nor
 * dead-lettered; "duplicated" is an id with more than one document.
 */
export interface LedgerReport {
  readonly fault: string;
  readonly sent: number;
  /** Alerts the gateway accepted plus poison records the broker acked. */
  readonly accepted: number;
  /** Of those, poison: each must be dead-lettered exactly once. */
  readonly poisoned: number;
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
  /** Every filler batch the gateway accepted so far, posted again as it was (same sensor ids, so the same alert ids). */
  resendFillers(): Promise<void>;
  /** New alerts (new ids) with the fingerprints of fillers `from`… (same rule, host and time); the statuses. */
  sendRepeats(from: number, count: number): Promise<{ readonly status: number; readonly ids: readonly string[] }>;
  /** Poison records straight into `alerts.raw.v1`, one per kind; where each landed. */
  injectPoison(kinds: readonly PoisonKind[]): Promise<PoisonPosition[]>;
  /** Dead letters of this tenant in every stage's DLQ right now. */
  deadLettered(): Promise<number>;
  /** How many of these ids have a document. */
  indexedOf(ids: readonly string[]): Promise<number>;
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
  const fillerBatches: object[][] = [];
  let sent = 0;
  let poisoned = 0;
  let incidentsExpected = 0;
  const run = randomBytes(4).toString('hex');
  // Fillers are older than the whole scenario, whenever they are sent: partitions are
  // consumed in any order, and a newer filler handled first would move the tenant's
  // watermark past the scenario's allowed lateness (its alerts would then be late).
  const fillerTime = new Date(Date.now() - 10 * 60_000).toISOString();
  let next = 0;

  async function postIds(records: object[]): Promise<{ status: number; ids: string[] }> {
    sent += records.length;
    const response = await fetch(`${urls.ingestUrl}/v1/alerts/batch`, { method: 'POST', headers: { authorization: `Bearer ${sensor}`, 'content-type': 'application/json' }, body: JSON.stringify(records) });
    // Anything but 202/207 accepted nothing (503 during a Kafka outage, for instance).
    if (response.status !== 202 && response.status !== 207) return { status: response.status, ids: [] };
    const body = (await response.json()) as { results: Array<{ id?: string; status?: string }> };
    const ids = body.results.filter((r) => r.id && r.status !== 'rejected').map((r) => r.id!);
    for (const id of ids) accepted.add(id);
    return { status: response.status, ids };
  }
  const post = async (records: object[]) => (await postIds(records)).status;

  const filler = (i: number, id: string) => ({ id, rule: { id: `fault-rule-${i % 5}`, name: 'Fault matrix' }, severity: 'low', event_time: fillerTime, observables: { host: `fault-host-${i}` } });

  async function incidentsRaised(): Promise<number> {
    const analyst = await tokenFor(tenant, 'analyst');
    const response = await fetch(`${urls.queryUrl}/v1/incidents?size=50`, { headers: { authorization: `Bearer ${analyst}` } });
    return ((await response.json()) as { items: unknown[] }).items.length;
  }

  async function deadLettered(): Promise<number> {
    // A dead letter keeps the original key and bytes; every record of the pipeline is keyed
    // `<tenant>|…`, and Avro writes strings as plain UTF-8, so the tenant is findable in one
    // or the other (the key also survives a trimmed letter, whose value is gone).
    let count = 0;
    for (const stage of [stages.dedup, stages.correlate, stages.indexer]) {
      for (const record of await readTopic(stage.dlq)) if (record.key?.toString('utf8').startsWith(`${tenant}|`) || record.value?.toString('utf8').includes(tenant)) count++;
    }
    return count;
  }

  return {
    tenant,
    async sendFillers(count) {
      const from = next;
      next += count;
      const batch = Array.from({ length: count }, (_, i) => filler(from + i, `${run}-${from + i}`));
      const status = await post(batch);
      if (status === 202) fillerBatches.push(batch);
      return status;
    },
    async resendFillers() {
      for (const batch of [...fillerBatches]) {
        const status = await post(batch);
        if (status !== 202) throw new Error(`re-sending an accepted batch answered ${status}`);
      }
    },
    sendRepeats(from, count) {
      return postIds(Array.from({ length: count }, (_, i) => filler(from + i, `${run}-repeat-${from + i}`)));
    },
    async injectPoison(kinds) {
      const records = await buildPoison(tenant, kinds);
      sent += records.length;
      const positions = await producePoison(records);
      poisoned += records.length;
      return positions;
    },
    deadLettered,
    async indexedOf(ids) {
      const have = new Set((await alertDocsOf(tenant)).map((d) => d.id));
      return ids.filter((id) => have.has(id)).length;
    },
    async sendScenario() {
      incidentsExpected += SCENARIO_INCIDENTS;
      if ((await post(scenario())) !== 202) throw new Error('the scenario must be accepted whole');
    },
    async settle(fault) {
      const settled = async () => {
        const ids = new Set((await alertDocsOf(tenant)).map((d) => d.id));
        if (![...accepted].every((id) => ids.has(id)) || (await incidentsRaised()) < incidentsExpected) return undefined;
        return poisoned === 0 || (await deadLettered()) >= poisoned ? true : undefined;
      };
      // A lost alert shows as a deadline passed; the report below then says which numbers are off.
      await waitFor(settled, 150_000, 500).catch(() => undefined);
      const copies = copiesById(await alertDocsOf(tenant));
      const indexed = [...accepted].filter((id) => copies.has(id)).length;
      const dead = await deadLettered();
      const report: LedgerReport = {
        fault, sent, accepted: accepted.size + poisoned, poisoned, indexed, deadLettered: dead,
        duplicated: [...copies.values()].filter((n) => n > 1).length,
        lost: Math.max(0, accepted.size + poisoned - indexed - dead),
        incidentsExpected, incidentsRaised: await incidentsRaised(),
      };
      process.stdout.write(`[fault-matrix] ${Object.entries(report).map(([k, v]) => `${k}=${v}`).join(' ')}\n`);
      return report;
    },
  };
}

/**
 * I1 and the incidents, for a fault that must lose and duplicate nothing: every alert
 * indexed, every poison record dead-lettered exactly once, nothing else dead-lettered.
 */
export function expectClean(report: LedgerReport): void {
  expect(report.accepted).toBe(report.sent);
  expect(report.lost).toBe(0);
  expect(report.duplicated).toBe(0);
  expect(report.deadLettered).toBe(report.poisoned);
  expect(report.indexed).toBe(report.accepted - report.poisoned);
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
