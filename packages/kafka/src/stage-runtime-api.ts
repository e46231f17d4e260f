import type { EventEmitter } from 'node:events';
import type { Kafka } from 'kafkajs';
import type { FetchSettings } from './consumer-options.ts';
import type { StageSpec } from '@vigil/contracts';
import type { Logger } from '@vigil/logging';
import type { Registry } from '@vigil/metrics';
import type { BackoffPolicy } from './backoff.ts';
import type { RecordProducer } from './producer.ts';
import type { Codec } from './schema-registry.ts';
import type { StageHandler } from './stage-handler.ts';
import type { PartitionProgress } from './stuck-tracker.ts';

export interface StageRuntimeOptions {
  readonly stage: StageSpec;
  readonly kafka: Kafka;
  readonly codec: Codec;
  readonly producer: RecordProducer;
  readonly handler: StageHandler;
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly backoff?: BackoffPolicy;
  /** Records handed to the handler at once; bounds in-flight work per partition. */
  readonly sliceSize?: number;
  readonly partitionsConcurrently?: number;
  /** How long the broker may hold a fetch to gather records (consumer-options.ts). */
  readonly fetch?: FetchSettings | undefined;
  /** The one clock of the runtime: handler's `now`, failure times, backoff deadlines, stuck times. */
  readonly clock?: () => number;
  /** Jitter source of the backoff (tests pin it). */
  readonly random?: () => number;
  /** Overrides the consumer group (tests run isolated groups). */
  readonly groupId?: string | undefined;
  readonly resumeCheckMs?: number;
  /**
   * How long the group waits for a silent member before moving its partitions. Lower
   * means faster takeover after a crash, at the risk of rebalances on long GC pauses.
   */
  readonly sessionTimeoutMs?: number | undefined;
  /** How often the lag gauge is refreshed from the broker. */
  readonly lagSampleMs?: number;
  /** Heartbeat period while a slice's handler or writes are in flight. */
  readonly heartbeatMs?: number;
  /**
   * How long a record whose schema id the (reachable) registry does not know is retried
   * before it is dead-lettered as SCHEMA_UNKNOWN: covers a registry replica that lags.
   */
  readonly schemaGraceMs?: number;
  /** A partition whose committed offset stands still this long with lag > 0 is logged as stuck. */
  readonly stuckAfterMs?: number | undefined;
}

export type StageEvent = 'committed' | 'dead-lettered' | 'retry' | 'paused' | 'resumed' | 'fatal';

export interface StageRuntime {
  start(): Promise<void>;
  /** Stop fetching, let the in-flight slice finish and commit, close the consumer. The producer is the caller's. */
  stop(): Promise<void>;
  /** Flips to false first thing on shutdown, so load balancers stop sending. */
  ready(): Promise<boolean>;
  /** Test and ops hooks: `committed`, `dead-lettered`, `retry`, `paused`, `resumed`, `fatal`. */
  readonly events: EventEmitter;
  /** For /readyz: paused partitions and each owned partition's lag and stuck time. */
  detail(): { paused: number; partitions: readonly PartitionProgress[]; stuck: readonly PartitionProgress[] };
  /** Called by the Kafka client's logger when kafkajs reports an out-of-range offset. */
  offsetOutOfRange(detail: { topic: string; partition: number }): void;
}
