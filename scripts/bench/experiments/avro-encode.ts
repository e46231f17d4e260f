// Supplementary to `npm run bench` (docs/benchmarks.md): CPU per record of the Avro
// encode the gateway's producer does, the registry client's `encode` (awaited per record,
// as the codec did) against the codec's own framed encoder, alternating rounds in one
// process on the same 20,000 normalized bench alerts, so the machine's load hits both.
//   npx tsx scripts/bench/experiments/avro-encode.ts [rounds, default 6]
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { allTopics, topics } from '@vigil/contracts';
import { createCodec } from '@vigil/kafka';
import { createDevContext } from '@vigil/dev-stack';
import { gatewayAlert, vigilBody } from '../alerts.ts';
import { summary } from '../stats.ts';

const rounds = Number(process.argv[2] ?? 6);
const ctx = createDevContext(process.env);
const url = ctx.serviceEnv['SCHEMA_REGISTRY_URL']!;
const codec = createCodec(url);
await codec.register(allTopics);
const client = new SchemaRegistry({ host: url });
const now = Date.now();
const alerts = Array.from({ length: 20_000 }, (_, n) => gatewayAlert(vigilBody(n, { stream: 'experiment', now }), 'bench-experiment', now));
// The id the codec registered the schema under is in the frame of any record it encodes.
const id = (await codec.encode(topics.alertsRaw, alerts[0])).readInt32BE(1);

// Same bytes first, or the comparison means nothing.
for (const a of alerts.slice(0, 100)) {
  if (!(await client.encode(id, a)).equals(await codec.encode(topics.alertsRaw, a))) throw new Error('the two encoders disagree on the bytes');
}

const usPerRecord = async (encode: (a: unknown) => Promise<Buffer>): Promise<number> => {
  const start = process.cpuUsage();
  for (const a of alerts) await encode(a);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / alerts.length;
};
const before: number[] = [];
const after: number[] = [];
for (let r = 0; r < rounds; r++) {
  before.push(await usPerRecord((a) => client.encode(id, a)));
  after.push(await usPerRecord((a) => codec.encode(topics.alertsRaw, a)));
}
const show = (v: number[]) => `p50 ${summary(v).p50!.toFixed(2)} µs (${v.map((x) => x.toFixed(2)).join(', ')})`;
console.log(`CPU per record, ${alerts.length} alerts × ${rounds} rounds; registry client encode: ${show(before)}; codec framed encoder: ${show(after)}`);
