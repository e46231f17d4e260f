// Supplementary to `npm run bench` (docs/benchmarks.md): CPU per alert of a real
// ingest-api process under batch or single-alert load, optionally with a V8 CPU profile
// summarised by package and function. The alerts it posts (tenant bench-experiment) stay
// on alerts.raw.v1 for the default consumer groups.
//   npx tsx scripts/bench/experiments/gateway-cpu.ts batch|single [clients] [--profile] [--producer]
// --producer: afterwards, the bench's raw producer ceiling on the same alerts (normalized
// as the gateway would), 500 per send, so the ratio comes from one run on one machine.
// Env: EXP_LOG_LEVEL (service log level), EXP_NODE_OPTIONS (extra node flags for the service).
import { join } from 'node:path';
import { createDevContext, startService, mintDevToken } from '@vigil/dev-stack';
import { allTopics, topics } from '@vigil/contracts';
import { createCodec, createKafkaClient, createRecordProducer } from '@vigil/kafka';
import { createLogger } from '@vigil/logging';
import { alertKey } from '@vigil/ingest-api';
import { batchBody, gatewayAlert, vigilBody } from '../alerts.ts';
import { closedLoop, createAgent } from '../http-load.ts';
import { acceptedOf } from '../phases/gateway.ts';
import { cpuSeconds } from '../proc.ts';
import { summariseProfile } from './profile-summary.ts';
import { sleep } from '../stats.ts';

const mode = process.argv[2] === 'single' ? 'single' : 'batch';
const clients = Number(process.argv[3] ?? 16);
const profile = process.argv.includes('--profile');
const withProducer = process.argv.includes('--producer');
const cli = createDevContext(process.env);
const profileDir = join(cli.stateDir, 'bench', 'profiles');
const preload = join(cli.repoRoot, 'scripts', 'bench', 'experiments', 'cpu-profile-preload.mjs');
const nodeOptions = `${profile ? `--import ${preload} ` : ''}${process.env['EXP_NODE_OPTIONS'] ?? ''}`.trim();

const proc = await startService(cli, 'ingest-api', {
  instance: 'experiment',
  env: {
    PORT: '18110',
    METRICS_PORT: '19610',
    LOG_LEVEL: process.env['EXP_LOG_LEVEL'] ?? 'info',
    TENANT_RATE_LIMIT_PER_MINUTE: '100000000',
    CLIENT_RATE_LIMIT_PER_MINUTE: '100000000',
    // As in the bench: the one tenant stands for every sensor (else its share sheds with 429).
    MAX_TENANT_INFLIGHT_BODY_BYTES: '1048576',
    BENCH_PROFILE_DIR: profileDir,
    ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
  },
});
try {
  const token = await mintDevToken(cli, { tenant: 'bench-experiment', role: 'sensor' });
  const agent = createAgent(clients);
  const target = { host: '127.0.0.1', port: 18110, headers: { authorization: `Bearer ${token}` } };
  const now = Date.now();
  const cpuStart = cpuSeconds(proc.pid)!;
  if (profile) process.kill(proc.pid, 'SIGUSR2');
  let alerts = 0;
  let run;
  if (mode === 'batch') {
    const bodies = Array.from({ length: 300 }, (_, i) => batchBody(i * 100, 100, { stream: 'experiment', now }));
    let i = 0;
    run = await closedLoop({ agent, target, path: '/v1/alerts/batch?format=vigil', clients, next: () => (i < bodies.length ? bodies[i++]! : null), deadlineMs: 60_000, readBody: true, onResult: (r) => (alerts += acceptedOf(r, 100)) });
  } else {
    const singles = Array.from({ length: 2000 }, (_, k) => Buffer.from(JSON.stringify(vigilBody(k, { stream: 'experiment', now }))));
    let s = 0;
    run = await closedLoop({ agent, target, path: '/v1/alerts?format=vigil', clients, next: () => singles[s++ % singles.length]!, deadlineMs: 8000, onResult: (r) => (alerts += acceptedOf(r, 1)) });
  }
  const cpu = cpuSeconds(proc.pid)! - cpuStart;
  if (profile) {
    process.kill(proc.pid, 'SIGUSR2');
    await sleep(1500);
  }
  const seconds = (run.endedAt - run.startedAt) / 1000;
  console.log(`${mode}, ${clients} clients: ${Math.round(alerts / seconds)} alerts/s, ${JSON.stringify(run.statuses)}, gateway ${cpu.toFixed(2)} CPU s = ${((cpu * 1000) / alerts).toFixed(3)} ms CPU per accepted alert (${((cpu * 1000) / run.requests).toFixed(3)} per request)`);
  agent.destroy();
  if (withProducer && mode === 'batch') await rawProducer(now, alerts / seconds);
  if (profile) console.log(summariseProfile(join(profileDir, `${proc.pid}.cpuprofile`), cli.repoRoot));
} finally {
  await proc.stop();
}

/** The raw producer on the same 30,000 alerts: records/s and CPU per record of this process. */
async function rawProducer(now: number, gatewayRate: number): Promise<void> {
  const kafka = createKafkaClient({ brokers: [cli.serviceEnv['KAFKA_BROKERS']!], clientId: 'vigil-experiment', logger: createLogger({ service: 'vigil-experiment', level: 'error' }) });
  const codec = createCodec(cli.serviceEnv['SCHEMA_REGISTRY_URL']!);
  await codec.register(allTopics);
  const producer = createRecordProducer(kafka, codec);
  await producer.connect();
  try {
    const records = Array.from({ length: 30_000 }, (_, n) => gatewayAlert(vigilBody(n, { stream: 'experiment', now }), 'bench-experiment', now)).map((a) => ({ topic: topics.alertsRaw, key: alertKey(a), value: a }));
    await producer.send(records.slice(0, 1));
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < records.length; i += 500) await producer.send(records.slice(i, i + 500));
    const ms = performance.now() - t0;
    const used = process.cpuUsage(cpu0);
    const perSecond = (records.length * 1000) / ms;
    console.log(`raw producer, 500 per send: ${Math.round(perSecond)} records/s, ${((used.user + used.system) / 1000 / records.length).toFixed(3)} ms CPU per record; gateway/producer ${(gatewayRate / perSecond).toFixed(2)}x`);
  } finally {
    await producer.disconnect();
  }
}
