import { EventEmitter } from 'node:events';
import type { Consumer, EachBatchPayload } from 'kafkajs';
import { defaultBackoff } from './backoff.ts';
import { coalescingHandler } from './coalescing-handler.ts';
import { stageConsumerConfig } from './consumer-options.ts';
import { toDeadLetter } from './dead-letter.ts';
import { headAt, nextStep, writeFailureBlock, type HeadState } from './head-decision.ts';
import { whileHeartbeating } from './heartbeat-keeper.ts';
import { startLagSampler, type LagSampler } from './lag-sampler.ts';
import { lostPartitions, partitionId } from './partition-ownership.ts';
import { sourceOf } from './record-decoding.ts';
import { planSlice, type BlockKind } from './slice-plan.ts';
import { evaluateSlice } from './slice-evaluation.ts';
import { reportCommitted } from './slice-report.ts';
import { writeSlice } from './slice-writer.ts';
import { createStageMetrics } from './stage-metrics.ts';
import { createStuckReporter } from './stuck-reporter.ts';
import type { StageRuntime, StageRuntimeOptions } from './stage-runtime-api.ts';

export type { StageHandler } from './stage-handler.ts';
export type { StageEvent, StageRuntime, StageRuntimeOptions } from './stage-runtime-api.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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
  const random = options.random ?? Math.random;
  const log = options.logger.child({ stage: stage.name });
  const metrics = createStageMetrics(options.metrics);
  const events = new EventEmitter();
  const paused = new Map<string, { readonly topic: string; readonly partition: number }>();
  let assignment: ReadonlyMap<string, readonly number[]> = new Map();
  let consumer: Consumer | null = null;
  let sampler: LagSampler | null = null;
  let running = false;
  let fatal = false;

  const report = { stage: stage.name, metrics, log, events };
  const handlers = {
    single: handler,
    joined: coalescingHandler(handler, sliceSize, (records, slices) => {
      metrics.handleCalls.labels(stage.name).inc();
      metrics.handleSlices.labels(stage.name).inc(slices);
      metrics.handleRecords.labels(stage.name).inc(records);
    }),
  };
  const stuck = createStuckReporter({ stage: stage.name, stuck: metrics.stuck, log, stuckAfterMs: options.stuckAfterMs ?? 60_000, isPaused: (topic, partition) => paused.has(partitionId(topic, partition)) });

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
    for (const id of lostPartitions(heads.keys(), assignment)) heads.delete(id);
    for (const id of lostPartitions(paused.keys(), assignment)) {
      const { topic, partition } = paused.get(id)!;
      paused.delete(id);
      // kafkajs keeps a pause across rebalances; left in place, the partition would
      // stay silent forever if it came back to this member without a watcher.
      consumer?.resume([{ topic, partitions: [partition] }]);
    }
    showPaused();
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
    const headOf = (offset: string): HeadState => {
      const head = headAt(heads.get(id), offset, clock());
      heads.set(id, head);
      return head;
    };
    let i = 0;
    while (i < messages.length) {
      if (fatal || !running || !isRunning() || isStale()) return;
      const slice = messages.slice(i, i + sliceSize);
      const head = headOf(slice[0]!.offset);
      const started = performance.now();
      const ctx = { attempt: head.attempt, failingSince: head.since, now: clock(), maxAttempts: policy.maxAttempts, schemaGraceMs };
      const plan = planSlice(await beat(evaluateSlice(codec, handlers, topic, partition, slice, ctx, clock)), ctx);
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
        blocked = writeFailureBlock(head, policy, error instanceof Error ? error.message : String(error));
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
        reportCommitted(report, topic, partition, slice, settled, plan, deadLetters);
        i += settled;
      }
      metrics.batchSeconds.labels(stage.name).observe((performance.now() - started) / 1000);
      await heartbeat();
      // A blocked slice always leaves a record at `i`; a fully settled one has no head to decide on.
      const blockedHead = i < messages.length ? headOf(messages[i]!.offset) : head;
      const next = nextStep(blocked, blockedHead, policy, clock(), random);
      if (next.step === 'continue') continue;
      heads.set(id, next.head);
      if (next.step === 'pause') {
        // Never skip, never commit past it: stop fetching this partition until the
        // dependency answers, then re-fetch from the last resolved offset.
        paused.set(id, { topic, partition });
        showPaused();
        pause();
        log.warn({ topic, partition, offset: next.head.offset, reason: next.message }, 'dependency down, partition paused');
        events.emit('paused', { topic, partition, offset: next.head.offset });
        watchForRecovery(topic, partition);
        return;
      }
      metrics.retries.labels(stage.name).inc();
      events.emit('retry', { topic, partition, offset: next.head.offset, attempt: next.head.attempt, reason: next.message, class: next.class });
      while (clock() < next.until) {
        if (!running || !isRunning()) return;
        await sleep(Math.min(500, Math.max(0, next.until - clock())));
        await heartbeat();
      }
    }
  }

  return {
    events,

    detail() {
      return { paused: paused.size, partitions: stuck.progress(), stuck: stuck.stuck() };
    },

    offsetOutOfRange(detail) {
      stopForGood('offset-out-of-range', { ...detail, note: 'committed offset left untouched; check what was lost, then reset the group deliberately' });
    },

    async start() {
      fatal = false;
      const created = kafka.consumer(stageConsumerConfig(groupId, options.sessionTimeoutMs, options.fetch));
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
        onSample: (positions) => stuck.observe(positions, clock()),
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
