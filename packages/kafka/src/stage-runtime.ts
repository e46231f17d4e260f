import { EventEmitter } from 'node:events';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { StageSpec } from '@vigil/contracts';
import type { Logger } from '@vigil/logging';
import type { Registry } from '@vigil/metrics';
import { backoffDelay, defaultBackoff, type BackoffPolicy } from './backoff.ts';
import { toDeadLetter, type SourceRecord } from './dead-letter.ts';
import { whileHeartbeating } from './heartbeat-keeper.ts';
import { startLagSampler, type LagSampler } from './lag-sampler.ts';
import { createStuckTracker, type PartitionPosition, type PartitionProgress } from './stuck-tracker.ts';
import { decideFailure, type FailureContext } from './failure-classes.ts';
import { deferred, fail, type InputRecord, type Outcome } from './outcome.ts';
import type { RecordProducer } from './producer.ts';
import type { Codec } from './schema-registry.ts';
import { planSlice, type BlockKind } from './slice-plan.ts';
import { writeSlice } from './slice-writer.ts';
import { createStageMetrics } from './stage-metrics.ts';

/** A stage's own logic, as the runtime sees it. */
export interface StageHandler {
  /**
   * Handle records of ONE partition, in offset order; return one outcome per record.
   * Must be idempotent: after a crash or retry the same records come again.
   */
  handle(records: readonly InputRecord[], now: number): Promise<readonly Outcome[]>;
  /** Every dependency of the handler answers: gates readiness and resuming. */
  healthy(): Promise<boolean>;
}

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
  readonly clock?: () => number;
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

/** The first unsettled record of a partition: which attempt it is on and since when it fails. */
interface HeadState {
  offset: string;
  attempt: number;
  since: number;
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

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const partitionId = (topic: string, partition: number) => `${topic}:${partition}`;

function headersOf(message: KafkaMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.map(String).join(',') : value.toString();
  }
  return out;
}

function sourceOf(topic: string, partition: number, message: KafkaMessage): SourceRecord {
  return { topic, partition, offset: message.offset, key: message.key, value: message.value, headers: message.headers ?? {} };
}

type Decoded = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

export function createStageRuntime(options: StageRuntimeOptions): StageRuntime {
  const { stage, kafka, codec, producer, handler } = options;
  const policy = options.backoff ?? defaultBackoff;
  const sliceSize = options.sliceSize ?? 500;
  const clock = options.clock ?? Date.now;
  const groupId = options.groupId ?? stage.groupId;
  const heartbeatMs = options.heartbeatMs ?? 3_000;
  const schemaGraceMs = options.schemaGraceMs ?? 10_000;
  // Kept across batches, so a pause and resume (or a re-fetch) does not restart the
  // count or the schema grace of a record that keeps failing.
  const heads = new Map<string, HeadState>();
  const log = options.logger.child({ stage: stage.name });
  const metrics = createStageMetrics(options.metrics);
  const events = new EventEmitter();
  const paused = new Map<string, { readonly topic: string; readonly partition: number }>();
  let assignment: ReadonlyMap<string, readonly number[]> = new Map();
  let consumer: Consumer | null = null;
  let sampler: LagSampler | null = null;
  let running = false;
  let fatal = false;

  const stuckAfterMs = options.stuckAfterMs ?? 60_000;
  const tracker = createStuckTracker();
  let progress: readonly PartitionProgress[] = [];
  const reportedStuck = new Set<string>();

  function onSample(positions: readonly PartitionPosition[]): void {
    progress = tracker.observe(positions, clock());
    metrics.stuck.reset();
    for (const p of progress) {
      const id = partitionId(p.topic, p.partition);
      metrics.stuck.labels(stage.name, p.topic, String(p.partition)).set(p.stuckSeconds);
      // Once when it crosses the bound, once when it moves again: a log line, not a flood.
      if (p.stuckSeconds * 1000 >= stuckAfterMs && !reportedStuck.has(id)) {
        reportedStuck.add(id);
        log.warn({ topic: p.topic, partition: p.partition, lag: p.lag, committed: p.committed, stuckSeconds: p.stuckSeconds, paused: paused.has(id) }, 'partition stuck: committed offset not moving while lag > 0');
      } else if (p.stuckSeconds === 0 && reportedStuck.delete(id)) {
        log.info({ topic: p.topic, partition: p.partition }, 'partition moving again');
      }
    }
  }

  const showPaused = () => metrics.paused.labels(stage.name).set(paused.size);

  function stopForGood(reason: string, detail: Record<string, unknown>): void {
    if (fatal) return;
    fatal = true;
    running = false;
    log.fatal({ reason, ...detail }, 'stage cannot continue safely and stops for an operator');
    events.emit('fatal', { reason, ...detail });
  }

  /** After a rebalance: forget pauses of partitions another member now owns. */
  function onAssignment(memberAssignment: Readonly<Record<string, readonly number[]>>): void {
    assignment = new Map(Object.entries(memberAssignment));
    for (const id of [...heads.keys()]) {
      const [topic, partition] = [id.slice(0, id.lastIndexOf(':')), Number(id.slice(id.lastIndexOf(':') + 1))];
      if (!assignment.get(topic)?.includes(partition)) heads.delete(id);
    }
    for (const [id, { topic, partition }] of [...paused]) {
      if (assignment.get(topic)?.includes(partition)) continue;
      paused.delete(id);
      // kafkajs keeps a pause across rebalances; left in place, the partition would
      // stay silent forever if it came back to this member without a watcher.
      consumer?.resume([{ topic, partitions: [partition] }]);
    }
    showPaused();
  }

  async function decode(message: KafkaMessage): Promise<Decoded> {
    try {
      return { ok: true, value: await codec.decode(message.value) };
    } catch (error) {
      return { ok: false, error };
    }
  }

  async function evaluate(topic: string, partition: number, messages: readonly KafkaMessage[], ctx: FailureContext): Promise<Outcome[]> {
    const decoded = await Promise.all(messages.map(decode));
    // A record whose decoding must be retried (registry down, an unknown schema id within
    // its grace) blocks the slice there; records after it cannot be committed in this
    // pass, so they are not handled yet. Records dead-lettered now block nothing.
    const blockedAt = decoded.findIndex((d, i) => !d.ok && decideFailure(d.error, i === 0 ? ctx : { ...ctx, attempt: 1, failingSince: ctx.now }).action !== 'dead-letter');
    const usable = blockedAt === -1 ? decoded.length : blockedAt + 1;
    const ready: InputRecord[] = [];
    for (let i = 0; i < usable; i++) {
      const d = decoded[i]!;
      const m = messages[i]!;
      if (d.ok) ready.push({ topic, partition, offset: m.offset, key: m.key?.toString() ?? null, value: d.value, headers: headersOf(m), timestamp: Number(m.timestamp) });
    }
    const results = ready.length > 0 ? await handleIsolating(ready) : [];
    let next = 0;
    return decoded.slice(0, usable).map((d) => (d.ok ? results[next++]! : fail(d.error)));
  }

  async function handleOnce(records: readonly InputRecord[]): Promise<readonly Outcome[]> {
    const results = await handler.handle(records, clock());
    if (results.length !== records.length) throw new Error(`handler returned ${results.length} outcomes for ${records.length} records`);
    return results;
  }

  /**
   * A handler that throws says nothing about which record made it throw; blaming the
   * first one would dead-letter an innocent record. So the slice is handled again one
   * record at a time, in order (handlers are idempotent): the record whose call throws
   * fails, and the ones behind it wait, untried, as `deferred`.
   */
  async function handleIsolating(records: readonly InputRecord[]): Promise<readonly Outcome[]> {
    try {
      return await handleOnce(records);
    } catch (error) {
      if (records.length === 1) return [fail(error)];
    }
    const outcomes: Outcome[] = [];
    for (const record of records) {
      if (outcomes.some((o) => o.kind === 'fail')) {
        outcomes.push(deferred());
        continue;
      }
      try {
        outcomes.push(...(await handleOnce([record])));
      } catch (error) {
        outcomes.push(fail(error));
      }
    }
    return outcomes;
  }

  function watchForRecovery(topic: string, partition: number): void {
    const id = partitionId(topic, partition);
    const schedule = () => setTimeout(check, options.resumeCheckMs ?? 1000).unref();
    const check = async () => {
      if (!running || consumer === null || !paused.has(id)) return;
      const ok = (await handler.healthy().catch(() => false)) && (await codec.healthy());
      if (!ok || !running || consumer === null || !paused.has(id)) {
        if (paused.has(id)) schedule();
        return;
      }
      paused.delete(id);
      showPaused();
      consumer.resume([{ topic, partitions: [partition] }]);
      log.info({ topic, partition }, 'dependencies healthy again, partition resumed');
      events.emit('resumed', { topic, partition });
    };
    schedule();
  }

  async function eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale, pause, commitOffsetsIfNecessary } = payload;
    const { topic, partition, messages } = batch;
    if (paused.has(partitionId(topic, partition))) return;
    const beat = <T>(work: Promise<T>) => whileHeartbeating(work, heartbeat, heartbeatMs);
    const id = partitionId(topic, partition);
    /** The state of the record at `offset`, fresh unless it is the one that failed before. */
    const headAt = (offset: string): HeadState => {
      const known = heads.get(id);
      if (known?.offset === offset) return known;
      const fresh = { offset, attempt: 1, since: clock() };
      heads.set(id, fresh);
      return fresh;
    };
    let i = 0;
    while (i < messages.length) {
      if (fatal || !running || !isRunning() || isStale()) return;
      const slice = messages.slice(i, i + sliceSize);
      const head = headAt(slice[0]!.offset);
      const started = performance.now();
      const ctx = { attempt: head.attempt, failingSince: head.since, now: clock(), maxAttempts: policy.maxAttempts, schemaGraceMs };
      const plan = planSlice(await beat(evaluate(topic, partition, slice, ctx)), ctx);
      let settled = plan.settled;
      let blocked: BlockKind | null = plan.blocked?.failure ?? null;
      let deadLetters = plan.deadLetters;
      try {
        const now = clock();
        deadLetters = await beat(
          writeSlice(producer, plan, (d) => toDeadLetter(stage.dlq.name, stage.name, sourceOf(topic, partition, slice[d.index]!), { code: d.code, message: d.message, attempts: d.index === 0 ? head.attempt : 1 }, now)),
        );
      } catch (error) {
        // Outputs or dead letters not durable: commit nothing of this slice. writeSlice
        // throws only what no record is to blame for (broker, registry, a missing DLQ
        // topic), so it waits like an outage.
        log.warn({ err: error, topic, partition }, 'writing outputs or dead letters failed; slice will be retried');
        settled = 0;
        const message = error instanceof Error ? error.message : String(error);
        blocked = head.attempt >= policy.maxAttempts ? { action: 'pause', class: 'outage', message } : { action: 'retry', class: 'outage', message };
      }
      if (settled > 0) {
        const last = slice[settled - 1]!.offset;
        if (isStale()) return;
        // Through the batch payload, not consumer.commitOffsets(): that one silently
        // does nothing once stop() has begun, which would drop the commit of the very
        // slice shutdown waits for. This call carries the group generation, so a member
        // that lost the partition in a rebalance gets an error, never a stale commit.
        await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset: (BigInt(last) + 1n).toString() }] }] });
        resolveOffset(last);
        metrics.recordsIn.labels(stage.name, topic).inc(settled);
        metrics.recordsOut.labels(stage.name, topic).inc(plan.outputs.reduce((n, o) => n + o.records.length, 0));
        metrics.dropped.labels(stage.name).inc(plan.dropped);
        for (const d of deadLetters) {
          metrics.deadLettered.labels(stage.name, d.code).inc();
          log.warn({ topic, partition, offset: slice[d.index]!.offset, code: d.code, reason: d.message }, 'record dead-lettered');
          events.emit('dead-lettered', { topic, partition, offset: slice[d.index]!.offset, code: d.code });
        }
        events.emit('committed', { topic, partition, offset: last, count: settled });
        i += settled;
      }
      metrics.batchSeconds.labels(stage.name).observe((performance.now() - started) / 1000);
      await heartbeat();
      // A deferred record waited only for the one before it, which is settled now.
      if (blocked === null || blocked.action === 'deferred') continue;

      const blockedHead = headAt(messages[i]!.offset);
      if (blocked.action === 'pause') {
        // Never skip, never commit past it: stop fetching this partition until the
        // dependency answers, then re-fetch from the last resolved offset. The record
        // gets a fresh round of attempts then; its first failure time is kept.
        blockedHead.attempt = 1;
        paused.set(id, { topic, partition });
        showPaused();
        pause();
        log.warn({ topic, partition, offset: blockedHead.offset, reason: blocked.message }, 'dependency down, partition paused');
        events.emit('paused', { topic, partition, offset: blockedHead.offset });
        watchForRecovery(topic, partition);
        return;
      }
      blockedHead.attempt++;
      metrics.retries.labels(stage.name).inc();
      events.emit('retry', { topic, partition, offset: blockedHead.offset, attempt: blockedHead.attempt, reason: blocked.message, class: blocked.class });
      const until = Date.now() + backoffDelay(policy, blockedHead.attempt);
      while (Date.now() < until) {
        if (!running || !isRunning()) return;
        await sleep(Math.min(500, Math.max(0, until - Date.now())));
        await heartbeat();
      }
    }
  }

  return {
    events,

    detail() {
      return { paused: paused.size, partitions: progress, stuck: progress.filter((p) => p.stuckSeconds * 1000 >= stuckAfterMs) };
    },

    offsetOutOfRange(detail) {
      stopForGood('offset-out-of-range', { ...detail, note: 'committed offset left untouched; check what was lost, then reset the group deliberately' });
    },

    async start() {
      fatal = false;
      const created = kafka.consumer({
        groupId,
        sessionTimeout: options.sessionTimeoutMs ?? 30_000,
        heartbeatInterval: 3_000,
        maxBytesPerPartition: 1_048_576,
        maxBytes: 8_388_608,
        maxWaitTimeInMs: 200,
        allowAutoTopicCreation: false,
        retry: { retries: 10 },
      });
      consumer = created;
      created.on(created.events.GROUP_JOIN, (event) => onAssignment(event.payload.memberAssignment));
      created.on(created.events.CRASH, (event) => {
        // kafkajs restarts after retriable crashes by itself; anything else leaves the
        // consumer dead while the process would look alive.
        if (!event.payload.restart) stopForGood('consumer-crashed', { error: event.payload.error.message });
      });
      await created.connect();
      await created.subscribe({ topics: stage.inputs.map((t) => t.name), fromBeginning: true });
      running = true;
      sampler = startLagSampler({
        kafka,
        groupId,
        stage: stage.name,
        gauge: metrics.lag,
        assigned: () => assignment,
        intervalMs: options.lagSampleMs ?? 5_000,
        onError: (err) => log.debug({ err }, 'sampling consumer lag failed'),
        onSample,
      });
      await created.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: options.partitionsConcurrently ?? 3,
        eachBatch,
      });
      log.info({ inputs: stage.inputs.map((t) => t.name), dlq: stage.dlq.name, groupId }, 'stage running');
    },

    async stop() {
      running = false;
      await sampler?.stop();
      sampler = null;
      if (consumer) await consumer.disconnect();
      consumer = null;
      paused.clear();
      showPaused();
      log.info('stage stopped');
    },

    async ready() {
      if (!running || fatal) return false;
      return (await handler.healthy().catch(() => false)) && (await codec.healthy());
    },
  };
}
