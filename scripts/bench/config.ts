/**
 * Sizes and ports of `npm run bench`, from BENCH_* variables. The defaults keep one
 * run under about five minutes on a 2-core machine with the local stack.
 */
export interface BenchConfig {
  /** Documents for the OpenSearch ceiling and records for the producer ceiling. */
  readonly n: number;
  /** Documents per bulk request and bulk requests in flight (the indexer: 500 per slice, up to 3 partitions at once). */
  readonly bulkSize: number;
  readonly bulkConcurrency: number;
  /** Records per producer send (the brief: 500). */
  readonly produceBatch: number;
  /** Records sent in (2): the `n` alerts over again until there are this many (a phase of a second or two measured noise). */
  readonly produceN: number;
  /** Concurrent keep-alive HTTP clients against the gateway. */
  readonly clients: number;
  /** Alerts posted through /v1/alerts/batch in the gateway measurement (in batches of `batchSize`). */
  readonly gatewayN: number;
  /** The gateway's GATEWAY_PROCESSES: processes sharing its port. */
  readonly gatewayProcesses: number;
  readonly batchSize: number;
  /** Seconds of the single-alert (/v1/alerts) measurement. */
  readonly singleSeconds: number;
  /** Alerts with distinct fingerprints for the end-to-end throughput measurement. */
  readonly e2eN: number;
  /** Latency samples (single alerts, severity high) and their rate. */
  readonly latencySamples: number;
  /** Alerts the simulation phase backtests (and the live stage handles) for its ratio. */
  readonly simulationN: number;
  /** Search phase: the measured tenant holds this many alerts among four times as many. */
  readonly searchN: number;
  readonly searchSamples: number;
  readonly latencyRate: number;
  /** Overload: multiple of the measured gateway rate, and for how long. */
  readonly overloadFactor: number;
  readonly overloadSeconds: number;
  /** Requests in flight the overload driver allows itself (beyond that it counts a client-side drop). */
  readonly overloadMaxInFlight: number;
  /** Bounds on waiting for the pipeline. */
  readonly drainTimeoutS: number;
  readonly e2eTimeoutS: number;
  readonly latencyTimeoutS: number;
  /** After the overload, wait this long at most for the pipeline to catch up (0: do not wait). */
  readonly finalDrainS: number;
  readonly ports: {
    readonly ingest: number;
    readonly query: number;
    readonly metrics: { readonly 'ingest-api': number; readonly 'query-api': number; readonly dedup: number; readonly indexer: number; readonly correlate: number };
  };
  /** Alerts per pass of the scale-out phase (9): one pass with one instance of each worker, one with two. */
  readonly scaleOutN: number;
  /** BENCH_PHASES: only the measurements with these numbers run (e.g. `9` or `4,4b`); null: all. Setup steps always run. */
  readonly phases: readonly string[] | null;
  /** Service log level (the services default to info, which logs one line per request). */
  readonly logLevel: string;
  readonly skipPrepare: boolean;
  /**
   * BENCH_PROFILE=1 (or 4): every service records a V8 CPU profile of the end-to-end phase (4)
   * into .vigil/bench/profiles; BENCH_PROFILE=4b: of the latency samples at half load instead.
   */
  readonly profile: '4' | '4b' | null;
}

function int(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number >= ${min} (got ${raw})`);
  return Math.floor(value);
}

function num(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number (got ${raw})`);
  return value;
}

export function benchConfig(env: Readonly<Record<string, string | undefined>>): BenchConfig {
  const ingest = int(env, 'BENCH_INGEST_PORT', 18100);
  const query = int(env, 'BENCH_QUERY_PORT', 18101);
  const m = int(env, 'BENCH_METRICS_PORT_BASE', 19600);
  return {
    n: int(env, 'BENCH_N', 20_000),
    bulkSize: int(env, 'BENCH_BULK_SIZE', 500),
    bulkConcurrency: int(env, 'BENCH_BULK_CONCURRENCY', 3),
    produceBatch: int(env, 'BENCH_PRODUCE_BATCH', 500),
    produceN: int(env, 'BENCH_PRODUCE_N', 80_000),
    clients: int(env, 'BENCH_CLIENTS', 16),
    gatewayN: int(env, 'BENCH_GATEWAY_N', 60_000),
    gatewayProcesses: int(env, 'BENCH_GATEWAY_PROCESSES', 2),
    batchSize: int(env, 'BENCH_BATCH_SIZE', 100),
    singleSeconds: int(env, 'BENCH_SINGLE_SECONDS', 8),
    e2eN: int(env, 'BENCH_E2E_N', 10_000),
    latencySamples: int(env, 'BENCH_LATENCY_SAMPLES', 1200),
    simulationN: int(env, 'BENCH_SIMULATION_N', 5_000),
    searchN: int(env, 'BENCH_SEARCH_N', 20_000),
    searchSamples: int(env, 'BENCH_SEARCH_SAMPLES', 50),
    latencyRate: num(env, 'BENCH_LATENCY_RATE', 20),
    overloadFactor: num(env, 'BENCH_OVERLOAD_FACTOR', 2),
    overloadSeconds: int(env, 'BENCH_OVERLOAD_SECONDS', 20),
    overloadMaxInFlight: int(env, 'BENCH_OVERLOAD_MAX_IN_FLIGHT', 512),
    drainTimeoutS: int(env, 'BENCH_DRAIN_TIMEOUT_S', 60, 0),
    e2eTimeoutS: int(env, 'BENCH_E2E_TIMEOUT_S', 90),
    latencyTimeoutS: int(env, 'BENCH_LATENCY_TIMEOUT_S', 30),
    finalDrainS: int(env, 'BENCH_FINAL_DRAIN_S', 90, 0),
    ports: { ingest, query, metrics: { 'ingest-api': m, 'query-api': m + 1, dedup: m + 2, indexer: m + 3, correlate: m + 4 } },
    scaleOutN: int(env, 'BENCH_SCALE_OUT_N', 5_000),
    phases: env['BENCH_PHASES'] ? env['BENCH_PHASES'].split(',').map((p) => p.trim().toLowerCase()).filter((p) => p.length > 0) : null,
    logLevel: env['BENCH_LOG_LEVEL'] ?? env['LOG_LEVEL'] ?? 'info',
    skipPrepare: env['BENCH_SKIP_PREPARE'] === '1',
    profile: env['BENCH_PROFILE'] === '1' || env['BENCH_PROFILE'] === '4' ? '4' : env['BENCH_PROFILE'] === '4b' ? '4b' : null,
  };
}
