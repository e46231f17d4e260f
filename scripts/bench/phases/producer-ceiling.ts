import { allTopics, topics, type Alert } from '@vigil/contracts';
import { createCodec, createRecordProducer, type OutgoingRecord } from '@vigil/kafka';
import { alertKey } from '@vigil/ingest-api';
import type { Bench } from '../context.ts';
import { cpuBetween, type CpuShare } from '../proc.ts';
import { rate, round, summary } from '../stats.ts';

export interface ProducerCeiling {
  readonly records: number;
  readonly batch: number;
  readonly seconds: number;
  /** Records acknowledged (acks=all) per second: the ceiling. */
  readonly recordsPerSecond: number;
  /** Wall time of one send of `batch` records (encode + produce + ack). */
  readonly sendMs: ReturnType<typeof summary>;
  /** Share of the time spent Avro-encoding (measured separately on the same records). */
  readonly encodeSeconds: number;
  readonly cpu: CpuShare;
}

/**
 * The raw producer ceiling: the gateway's own producer (idempotent, acks=all, the
 * registry codec) sending the same normalized alerts to alerts.raw.v1, one batch after
 * another. No HTTP, no parsing, no auth: what Kafka and the client cost.
 */
export async function producerCeiling(bench: Bench, alerts: readonly Alert[]): Promise<ProducerCeiling> {
  const { config } = bench;
  const codec = createCodec(bench.cli.serviceEnv['SCHEMA_REGISTRY_URL']!);
  await codec.register(allTopics);
  const producer = createRecordProducer(bench.kafka, codec);
  await producer.connect();
  try {
    const once: OutgoingRecord[] = alerts.map((a) => ({ topic: topics.alertsRaw, key: alertKey(a), value: a }));
    const records = Array.from({ length: Math.max(config.produceN, once.length) }, (_, i) => once[i % once.length]!);
    // One record first: metadata, producer id and connections, not timed.
    await producer.send(records.slice(0, 1));
    const timed = records.slice(1);
    const sendMs: number[] = [];
    const cpuStart = bench.cpu.snapshot();
    const started = performance.now();
    for (let i = 0; i < timed.length; i += config.produceBatch) {
      const t = performance.now();
      await producer.send(timed.slice(i, i + config.produceBatch));
      sendMs.push(performance.now() - t);
    }
    const elapsed = performance.now() - started;
    const cpu = cpuBetween(cpuStart, bench.cpu.snapshot());
    // How much of that is Avro encoding alone (same codec, same records, no Kafka).
    const encStart = performance.now();
    for (const r of once) await codec.encode(r.topic, r.value);
    const encodeSeconds = ((performance.now() - encStart) / 1000) * (timed.length / once.length);
    return {
      records: timed.length,
      batch: config.produceBatch,
      seconds: round(elapsed / 1000, 2),
      recordsPerSecond: rate(timed.length, elapsed),
      sendMs: summary(sendMs.map((v) => round(v, 1))),
      encodeSeconds: round(encodeSeconds, 2),
      cpu,
    };
  } finally {
    await producer.disconnect();
  }
}
