import { randomBytes, randomUUID } from 'node:crypto';
import { stages, topics, type Alert } from '@vigil/contracts';
import { sampleAlert } from '@vigil/contracts/testing';
import { canonicalAlert } from '@vigil/dedup';
import { createCodec, createRecordProducer, toDeadLetter } from '@vigil/kafka';
import { testKafka } from './kafka.ts';
import { stackEnv } from './stack-env.ts';

/**
 * Poison of each kind the issue names, as raw records for `alerts.raw.v1` (dedup's input),
 * each keyed `<tenant>|poison-<kind>` so the fault ledger can attribute its dead letter even
 * when the letter is trimmed (the key always survives):
 *
 * - `undecodable`: bytes that are not registry-framed Avro → `RECORD_UNDECODABLE`;
 * - `unknown-schema`: a frame naming a schema id the registry does not know, around a valid
 *   alert body → `SCHEMA_UNKNOWN` after the stage's grace;
 * - `domain`: valid Avro of the alert schema that dedup's checks refuse (an empty id) →
 *   `RECORD_REJECTED`;
 * - `oversized`: a valid alert that fits the broker, whose canonical output (a fingerprint
 *   and window times added) does not → `OUTPUT_TOO_LARGE`, and its dead letter is trimmed.
 */
export const poisonKinds = ['undecodable', 'unknown-schema', 'domain', 'oversized'] as const;
export type PoisonKind = (typeof poisonKinds)[number];

/** The producer's own per-record bound (record-size.ts): overhead, key, value, minus the batch header. */
const RECORD_OVERHEAD = 40;
const BATCH_OVERHEAD = 128;

const poisonAlert = (tenant: string, overrides: Partial<Alert> = {}): Alert =>
  sampleAlert({ id: randomUUID(), tenant_id: tenant, source_format: 'vigil', source_product: 'fault-matrix', rule_id: 'fault-poison', rule_name: 'Fault matrix poison', event_time: Date.now() - 10 * 60_000, received_time: Date.now(), host: `poison-${randomUUID().slice(0, 8)}`, ...overrides });

export interface PoisonRecord {
  readonly kind: PoisonKind;
  readonly key: string;
  readonly value: Buffer;
}

export interface PoisonPosition {
  readonly kind: PoisonKind;
  readonly partition: number;
  readonly offset: string;
}

/** Produce poison (acks=all) and say where each record landed, so a test can check commits around it. */
export async function producePoison(records: readonly PoisonRecord[]): Promise<PoisonPosition[]> {
  const producer = testKafka().producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const positions: PoisonPosition[] = [];
    // One send per record: the metadata then names its partition and offset.
    for (const record of records) {
      const [meta] = await producer.send({ topic: topics.alertsRaw.name, acks: -1, messages: [{ key: record.key, value: record.value }] });
      positions.push({ kind: record.kind, partition: meta!.partition, offset: meta!.baseOffset! });
    }
    return positions;
  } finally {
    await producer.disconnect();
  }
}

/** `carry` is text each record's bytes hold (log scans look for it); none by default. */
export async function buildPoison(tenant: string, kinds: readonly PoisonKind[], carry = ''): Promise<PoisonRecord[]> {
  const codec = createCodec(stackEnv['SCHEMA_REGISTRY_URL']!);
  await codec.register([topics.alertsRaw, topics.alerts]);
  const producer = createRecordProducer(testKafka(), codec);
  await producer.connect();
  const budget = producer.maxMessageBytes() - BATCH_OVERHEAD;
  await producer.disconnect();
  const out: PoisonRecord[] = [];
  const carried: Partial<Alert> = carry === '' ? {} : { rule_name: `Fault matrix poison ${carry}`, raw: carry };
  for (const kind of kinds) {
    const key = `${tenant}|poison-${kind}`;
    const size = (value: Buffer) => RECORD_OVERHEAD + Buffer.byteLength(key) + value.length;
    if (kind === 'undecodable') out.push({ kind, key, value: Buffer.concat([Buffer.from(`not avro: ${tenant} ${carry}`), randomBytes(64)]) });
    if (kind === 'unknown-schema') {
      const framed = await codec.encode(topics.alertsRaw, poisonAlert(tenant, carried));
      out.push({ kind, key, value: Buffer.concat([Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0]), framed.subarray(5)]) });
    }
    if (kind === 'domain') out.push({ kind, key, value: await codec.encode(topics.alertsRaw, poisonAlert(tenant, { ...carried, id: '' })) });
    if (kind === 'oversized') {
      // Grow `raw` until the input sits just under the budget; the output then exceeds it.
      const base = poisonAlert(tenant, carried);
      const probe = await codec.encode(topics.alertsRaw, { ...base, raw: '' });
      const raw = 'x'.repeat(budget - 16 - size(probe));
      const alert = { ...base, raw };
      const value = await codec.encode(topics.alertsRaw, alert);
      const output = await codec.encode(topics.alerts, canonicalAlert(alert, 'f'.repeat(64)));
      const outputSize = RECORD_OVERHEAD + Buffer.byteLength(`${tenant}|${alert.rule_id}`) + output.length;
      if (size(value) > budget || outputSize <= budget) throw new Error(`oversized poison misjudged: input ${size(value)}, output ${outputSize}, budget ${budget}`);
      out.push({ kind, key, value });
    }
  }
  return out;
}

/**
 * A dead letter of `tenant` written straight into dedup's DLQ, as dedup would write it for
 * a `domain` poison record: for tests of who may read it, without running a worker.
 */
export async function seedDeadLetter(tenant: string): Promise<void> {
  const [poison] = await buildPoison(tenant, ['domain']);
  const producer = createRecordProducer(testKafka(), createCodec(stackEnv['SCHEMA_REGISTRY_URL']!));
  await producer.connect();
  try {
    const source = { topic: topics.alertsRaw.name, partition: 0, offset: String(Date.now()), key: Buffer.from(poison!.key), value: poison!.value, headers: {} };
    await producer.sendRaw([toDeadLetter(stages.dedup.dlq.name, stages.dedup.name, source, { code: 'RECORD_REJECTED', message: 'alert has no id', attempts: 1 }, Date.now())]);
  } finally {
    await producer.disconnect();
  }
}
