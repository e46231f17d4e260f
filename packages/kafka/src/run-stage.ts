import type { HttpStoreConnection, KafkaConnection } from '@vigil/config';
import { allTopics, type StageSpec } from '@vigil/contracts';
import type { Logger } from '@vigil/logging';
import { createMetricsRegistry, startOpsServer, type Registry } from '@vigil/metrics';
import type { FetchSettings } from './consumer-options.ts';
import { createKafkaClient } from './kafka-client.ts';
import { createRecordProducer, type RecordProducer } from './producer.ts';
import { createCodec, type Codec } from './schema-registry.ts';
import { createStageRuntime, type StageHandler, type StageRuntime } from './stage-runtime.ts';

export interface WorkerSettings {
  readonly service: string;
  readonly stage: StageSpec;
  /** Brokers, TLS and SASL (`loadStoreConnections`). */
  readonly kafka: KafkaConnection;
  readonly schemaRegistry: HttpStoreConnection;
  readonly metricsHost: string;
  readonly metricsPort: number;
  readonly logger: Logger;
  readonly groupId?: string | undefined;
  readonly sessionTimeoutMs?: number | undefined;
  readonly stuckAfterMs?: number | undefined;
  readonly sliceSize?: number | undefined;
  readonly partitionsConcurrently?: number | undefined;
  readonly fetch?: FetchSettings | undefined;
}

/** The worker config every stage main parses (see @vigil/config `fields.worker`). */
export interface WorkerConfig {
  readonly METRICS_HOST: string;
  readonly METRICS_PORT: number;
  readonly CONSUMER_GROUP?: string | undefined;
  readonly KAFKA_SESSION_TIMEOUT_MS?: number | undefined;
  readonly STAGE_STUCK_AFTER_SECONDS?: number | undefined;
  readonly STAGE_SLICE_SIZE?: number | undefined;
  readonly STAGE_PARTITIONS_CONCURRENTLY?: number | undefined;
  readonly STAGE_FETCH_MIN_BYTES?: number | undefined;
  readonly STAGE_FETCH_MAX_WAIT_MS?: number | undefined;
}

export function workerSettings(service: string, stage: StageSpec, config: WorkerConfig, stores: { readonly kafka: KafkaConnection; readonly schemaRegistry: HttpStoreConnection }, logger: Logger): WorkerSettings {
  return {
    service,
    stage,
    kafka: stores.kafka,
    schemaRegistry: stores.schemaRegistry,
    metricsHost: config.METRICS_HOST,
    metricsPort: config.METRICS_PORT,
    logger,
    groupId: config.CONSUMER_GROUP,
    sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    stuckAfterMs: config.STAGE_STUCK_AFTER_SECONDS === undefined ? undefined : config.STAGE_STUCK_AFTER_SECONDS * 1000,
    sliceSize: config.STAGE_SLICE_SIZE,
    partitionsConcurrently: config.STAGE_PARTITIONS_CONCURRENTLY,
    fetch: { minBytes: config.STAGE_FETCH_MIN_BYTES, maxWaitMs: config.STAGE_FETCH_MAX_WAIT_MS },
  };
}

export interface WorkerContext {
  readonly codec: Codec;
  readonly producer: RecordProducer;
  readonly metrics: Registry;
  readonly logger: Logger;
}

export interface StageWorker {
  readonly runtime: StageRuntime;
  /** Flip readiness, stop the runtime, then run the stage's own cleanup. */
  shutdown(): Promise<void>;
}

/**
 * Everything a stage worker's main does besides building its handler: Kafka, schema
 * registry, metrics and health endpoints, start-up order and shutdown order.
 */
export async function startStageWorker(
  settings: WorkerSettings,
  build: (ctx: WorkerContext) => Promise<{ handler: StageHandler; close(): Promise<void>; detail?: () => Record<string, unknown> }>,
): Promise<StageWorker> {
  const { logger } = settings;
  const metrics = createMetricsRegistry(settings.service);
  const codec = createCodec(settings.schemaRegistry);
  await codec.register(allTopics);
  let runtime: StageRuntime | null = null;
  const kafka = createKafkaClient({
    ...settings.kafka,
    clientId: settings.service,
    logger,
    onOffsetOutOfRange: (detail) => runtime?.offsetOutOfRange(detail),
  });
  const producer = createRecordProducer(kafka, codec);
  await producer.connect();
  const stageParts = await build({ codec, producer, metrics, logger });
  runtime = createStageRuntime({ stage: settings.stage, kafka, codec, producer, handler: stageParts.handler, logger, metrics, groupId: settings.groupId, sessionTimeoutMs: settings.sessionTimeoutMs, stuckAfterMs: settings.stuckAfterMs, sliceSize: settings.sliceSize, partitionsConcurrently: settings.partitionsConcurrently, fetch: settings.fetch });
  let stopping = false;
  const ops = await startOpsServer({
    host: settings.metricsHost,
    port: settings.metricsPort,
    registry: metrics,
    ready: async () => !stopping && (await runtime!.ready()),
    detail: async () => ({ ...runtime!.detail(), ...stageParts.detail?.() }),
  });
  const activeRuntime = runtime;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await activeRuntime.stop();
    await stageParts.close();
    await producer.disconnect();
    await ops.close();
  };
  // A fatal condition (an out-of-range offset, a consumer that crashed for good) leaves
  // nothing safe to do: stop cleanly and exit non-zero so the supervisor sees it,
  // rather than idling on as a process that looks alive.
  activeRuntime.events.once('fatal', (detail: Record<string, unknown>) => {
    logger.fatal(detail, `${settings.service} stops: fatal stage condition`);
    void shutdown().finally(() => process.exit(1));
  });
  await activeRuntime.start();
  logger.info({ ops: ops.url }, `${settings.service} started`);
  return { runtime: activeRuntime, shutdown };
}
