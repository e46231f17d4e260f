import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { stages } from '@vigil/contracts';
import { createKafkaClient, groupLag, withAdmin, type Kafka } from '@vigil/kafka';
import { createLogger } from '@vigil/logging';
import { createPool } from '@vigil/postgres';
import { outboxStats } from '@vigil/incident-store';
import type { CliContext } from '../cli-context.ts';
import { storeAccess } from '../store-access.ts';
import { endpointOptions, endpointUsage, endpointsWithFlags } from '../endpoints.ts';
import { combinedRunState, type RunState } from './run-state.ts';

export interface StuckDetail {
  topic: string;
  partition: number;
  stuckSeconds: number;
  lag: number;
}

const settle = <T>(p: Promise<T>): Promise<T | null> => p.catch(() => null);

/** A service's /readyz answer; rejects when nothing answers within 1.5 s. */
async function readyz(opsUrl: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${opsUrl}/readyz`, { signal: AbortSignal.timeout(1500) });
  return { status: response.status, body: await response.text() };
}

/** The stage's /readyz detail: stuck partitions as its runtime sees them (null if it does not answer). */
async function readyDetail(opsUrl: string): Promise<{ ready: boolean; stuck: StuckDetail[] } | null> {
  const response = await settle(readyz(opsUrl));
  if (!response) return null;
  const body = JSON.parse(response.body) as { status?: string; stuck?: StuckDetail[] };
  return { ready: body.status === 'ready', stuck: body.stuck ?? [] };
}

type StageName = 'dedup' | 'correlate' | 'indexer';

/** Where a stage's worker is: the standard one, or (tests) a private worker and group. */
export interface StageTarget {
  /** Base URL of the worker's ops server, e.g. http://127.0.0.1:9502. */
  readonly opsUrl: string;
  readonly groupId: string;
}

export interface StageStatus {
  /** null: the worker does not answer on its metrics port. */
  readonly ready: boolean | null;
  readonly lag: number | null;
  readonly stuck: readonly StuckDetail[] | null;
  readonly dlq: number | null;
}

/** One stage's figures; each is null when its source does not answer, never a guess. */
export async function stageStatus(kafka: Kafka, name: StageName, target: StageTarget): Promise<StageStatus> {
  const stage = stages[name];
  const [detail, lags, dlq] = await Promise.all([
    readyDetail(target.opsUrl),
    settle(Promise.all(stage.inputs.map((t) => groupLag(kafka, target.groupId, t.name)))),
    settle(withAdmin(kafka, async (admin) => (await admin.fetchTopicOffsets(stage.dlq.name)).reduce((n, o) => n + Number(o.high) - Number(o.low), 0))),
  ]);
  const lag = lags ? lags.reduce((n, m) => n + [...m.values()].reduce((a, b) => a + b, 0), 0) : null;
  return { ready: detail?.ready ?? null, lag, stuck: detail?.stuck ?? null, dlq };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

/**
 * `vigil status`: one table, one row per stage: state, consumer lag (from the broker),
 * stuck partitions (from the stage's /readyz), dead letters in its DLQ, unpublished and
 * dead outbox rows (correlate), and restarts under `vigil run`.
 */
export async function statusCommand(ctx: CliContext, args: readonly string[], log: (line: string) => void): Promise<number> {
  let endpoints;
  try {
    const { values } = parseArgs({ args: [...args], options: endpointOptions });
    endpoints = endpointsWithFlags(ctx.endpoints, values);
  } catch (err) {
    log(`vigil status: ${(err as Error).message}\n\nusage: vigil status [endpoint flags]\n${endpointUsage}`);
    return 2;
  }
  const stores = storeAccess(endpoints);
  const kafka = createKafkaClient({ ...stores.kafka, clientId: 'vigil-status', logger: createLogger({ service: 'vigil-status', level: 'error', destination: process.stderr }) });
  const pool = createPool(stores.postgres, 'vigil-cli-status', 1);
  const stateFile = endpoints.runStateFile;
  const run = stateFile && existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as { services: Record<string, RunState> }).services : {};
  try {
    const outbox = await settle(outboxStats(pool));
    const rows = [['STAGE', 'STATE', 'LAG', 'STUCK PARTITIONS', 'DLQ', 'OUTBOX UNPUBLISHED', 'OUTBOX DEAD', 'RESTARTS', 'LAST EXIT']];
    for (const name of ['dedup', 'correlate', 'indexer'] as const) {
      const { ready, lag, stuck: stuckList, dlq } = await stageStatus(kafka, name, { opsUrl: endpoints.opsUrls[name], groupId: stages[name].groupId });
      const stuck = stuckList ? stuckList.map((s) => `${s.topic}:${s.partition} ${Math.round(s.stuckSeconds)}s lag ${s.lag}`).join(', ') || '-' : '?';
      const state = combinedRunState(run, name);
      const outboxCells = name === 'correlate' && outbox ? [`${outbox.unpublished} (oldest ${Math.round(outbox.oldestSeconds)} s)`, String(outbox.dead)] : ['-', '-'];
      rows.push([state && state.instances > 1 ? `${name} ×${state.instances}` : name, ready === null ? 'down' : ready ? 'ready' : 'not ready', lag === null ? '?' : String(lag), stuck, dlq === null ? '?' : String(dlq), ...outboxCells, state ? String(state.restarts) : '-', state?.lastExit ? `${state.lastExit}${state.crashLoop ? ' (CRASH LOOP)' : ''}` : '-']);
    }
    for (const name of ['ingest-api', 'query-api'] as const) {
      const state = run[name];
      const up = await settle(readyz(endpoints.opsUrls[name]));
      rows.push([name, up ? (up.status === 200 ? 'ready' : 'not ready') : 'down', '-', '-', '-', '-', '-', state ? String(state.restarts) : '-', state?.lastExit ?? '-']);
    }
    log(table(rows));
    return 0;
  } finally {
    await pool.end();
  }
}
