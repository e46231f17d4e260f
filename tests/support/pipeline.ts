import { stages } from '@vigil/contracts';
import { resetGroupToEnd } from '@vigil/kafka';
import type { ServiceName } from '@vigil/dev-stack';
import { testKafka } from './kafka.ts';
import { startService, type ServiceProcess } from './services.ts';
import { uniqueGroup } from './stack-env.ts';

export interface ApiAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** Every service of the pipeline as real processes, for end-to-end tests. */
export interface Pipeline {
  readonly ingestUrl: string;
  readonly queryUrl: string;
  /** POST JSON to the gateway. */
  post(token: string, path: string, body: unknown): Promise<ApiAnswer>;
  /** GET from the query API. */
  query(token: string, path: string): Promise<ApiAnswer>;
  stop(): Promise<void>;
}

// Ports apart from `vigil run`'s, so the suites also run beside a demo. E2E files run
// one at a time (vitest.config.ts), so they can all use the same ones.
export const INGEST_PORT = 18000;
export const QUERY_PORT = 18001;

// Workers first, so nothing the gateway accepts waits for a consumer group to form.
export const pipelinePlan: ReadonlyArray<readonly [ServiceName, Record<string, string>]> = [
  ['indexer', { METRICS_PORT: '19503' }],
  ['correlate', { METRICS_PORT: '19504' }],
  ['dedup', { METRICS_PORT: '19502' }],
  ['query-api', { PORT: String(QUERY_PORT), METRICS_PORT: '19501' }],
  ['ingest-api', { PORT: String(INGEST_PORT), METRICS_PORT: '19500' }],
];

const workers = ['indexer', 'correlate', 'dedup'] as const;

/**
 * The plan with each worker in a consumer group of its own that starts at the current end
 * of its inputs: a test's alerts (posted after start) must not wait behind a backlog or
 * poison earlier runs or a benchmark left for the standard groups, and a running demo
 * keeps its partitions. A restarted worker keeps its env, so it rejoins its group.
 */
export async function privatePipelinePlan(): Promise<ReadonlyArray<readonly [ServiceName, Record<string, string>]>> {
  const kafka = testKafka();
  const groups = new Map<ServiceName, string>();
  for (const name of workers) {
    const group = uniqueGroup(`e2e-${name}`);
    await resetGroupToEnd(kafka, group, stages[name].inputs.map((t) => t.name));
    groups.set(name, group);
  }
  return pipelinePlan.map(([name, env]) => [name, groups.has(name) ? { ...env, CONSUMER_GROUP: groups.get(name)! } : env] as const);
}

async function answer(response: Response): Promise<ApiAnswer> {
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function startPipeline(): Promise<Pipeline> {
  const services: ServiceProcess[] = [];
  const stop = () => Promise.all(services.map((s) => s.stop())).then(() => undefined);
  try {
    for (const [name, env] of await privatePipelinePlan()) services.push(await startService(name, env));
  } catch (err) {
    // A half-started pipeline would hold its ports and consumer groups for the next file.
    await stop();
    throw err;
  }
  const ingestUrl = `http://127.0.0.1:${INGEST_PORT}`;
  const queryUrl = `http://127.0.0.1:${QUERY_PORT}`;
  return {
    ingestUrl,
    queryUrl,
    post: async (token, path, body) =>
      answer(await fetch(`${ingestUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })),
    query: async (token, path) => answer(await fetch(`${queryUrl}${path}`, { headers: { authorization: `Bearer ${token}` } })),
    stop,
  };
}
