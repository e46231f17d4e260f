// `npm run bench`: throughput, latency and overload memory of the pipeline on this
// machine, as numbers and ratios from ONE run (DESIGN.md §9; docs/benchmarks.md).
// Loopback only, every loop bounded, every process it starts stopped at the end,
// also on error and Ctrl-C. Sizes: BENCH_* variables (scripts/bench/config.ts).
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { topics, type Alert } from '@vigil/contracts';
import { createKafkaClient, resetGroupToEnd } from '@vigil/kafka';
import { createLogger } from '@vigil/logging';
import { alertIndexFor, createSearchClient } from '@vigil/search';
import { createDevContext, preparePlatform, type ServiceName, serviceNames, type ServiceProcess, mintDevToken } from '@vigil/dev-stack';
import { gatewayAlert, vigilBody } from './bench/alerts.ts';
import { benchConfig } from './bench/config.ts';
import { alertIndexWarnings, benchGroups, searchNodeStats, searchStatsBetween, tenantOf, type Bench } from './bench/context.ts';
import { createAgent, type HttpTarget } from './bench/http-load.ts';
import { drain } from './bench/phases/pipeline.ts';
import { endToEnd } from './bench/phases/end-to-end.ts';
import { gatewayThroughput } from './bench/phases/gateway.ts';
import { latency } from './bench/phases/latency.ts';
import { correlationCore } from './bench/phases/correlation-core.ts';
import { simulationSpeed } from './bench/phases/simulation.ts';
import { searchLatency } from './bench/phases/search-latency.ts';
import { importBenchRules } from './bench/bench-rules.ts';
import { opensearchCeiling } from './bench/phases/opensearch-ceiling.ts';
import { overload, type Overload } from './bench/phases/overload.ts';
import { producerCeiling } from './bench/phases/producer-ceiling.ts';
import { consumerCeiling, rangesBetween, topicEnds } from './bench/phases/consumer-ceiling.ts';
import { scaleOut } from './bench/phases/scale-out.ts';
import { CpuAccount, RssSampler, cpuBetween, cpuSeconds, findInfraPids, loadAverage, processTree, rssKb } from './bench/proc.ts';
import { computeRatios, floorOf, formatReport, topCpu, type BenchResults } from './bench/report.ts';
import { fmtInt, fmtMs, round } from './bench/stats.ts';
import { purgeDedupState } from './bench/redis-cleanup.ts';
import { assertPortsFree, startBenchService, stopBenchServices, stopWorkers, toggleProfiles, workerNames } from './bench/services.ts';
import { targetRows } from './bench/targets.ts';

const MAX_SECONDS = Number(process.env['BENCH_MAX_SECONDS'] ?? 900);
/** OpenSearch CPU time after which its JIT had settled on this machine (2026-12-02: ~60 s of it was C2 compiling). */
const JVM_WARM_CPU_SECONDS = 180;
const startedAt = performance.now();
const log = (line: string) => console.log(`[bench ${((performance.now() - startedAt) / 1000).toFixed(0).padStart(3)}s] ${line}`);

const config = benchConfig(process.env);
const cli = createDevContext(process.env);
const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;

// ── cleanup: every step registered by a phase, latest first, exactly once ──────────
const cleanupSteps: (() => Promise<void>)[] = [];
let cleaning: Promise<void> | null = null;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const step of cleanupSteps.reverse()) {
      try {
        await step();
      } catch (err) {
        console.error(`[bench] cleanup step failed: ${(err as Error).message}`);
      }
    }
  })();
  return cleaning;
}
let interrupted = false;
const onSignal = (signal: NodeJS.Signals) => {
  if (interrupted) process.exit(130);
  interrupted = true;
  console.error(`\n[bench] ${signal}: stopping the services the bench started…`);
  void cleanup().finally(() => process.exit(130));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
// The whole run is bounded: a hang anywhere ends in cleanup, not in a stuck process.
const watchdog = setTimeout(() => {
  console.error(`[bench] exceeded BENCH_MAX_SECONDS=${MAX_SECONDS}; cleaning up and exiting`);
  void cleanup().finally(() => process.exit(1));
}, MAX_SECONDS * 1000);
watchdog.unref();

const results: BenchResults = {
  runId,
  date: new Date().toISOString(),
  machine: {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    loadAverageAtStart: loadAverage(),
  },
  config,
  warnings: [],
  errors: {},
  drains: [],
  phases: {},
};

/** Run one phase; its failure is recorded and the run goes on. Every phase's CPU and OpenSearch counters are kept. */
async function phase<T>(name: string, run: () => Promise<T>): Promise<T | undefined> {
  if (interrupted) return undefined;
  // BENCH_PHASES picks measurements by number ('9', '4b'); setup steps (no number) always run.
  if (config.phases && /^\d/.test(name) && !config.phases.includes(name.split(' ')[0]!)) return undefined;
  log(`── ${name}`);
  bench.rss.phase(name);
  const cpuStart = cpu.snapshot();
  const searchStart = await searchNodeStats(bench);
  try {
    return await run();
  } catch (err) {
    results.errors[name] = (err as Error).message;
    log(`!! ${name} failed: ${(err as Error).message}`);
    return undefined;
  } finally {
    const share = cpuBetween(cpuStart, cpu.snapshot());
    results.phases[name] = { seconds: round(share.seconds, 1), cpu: share, opensearch: searchStatsBetween(searchStart, await searchNodeStats(bench), share.seconds) };
  }
}

const services = new Map<ServiceName, ServiceProcess>();
const cpu = new CpuAccount();
const rss = new RssSampler(() => new Map([...services].map(([name, p]) => [name, processTree(p.pid, 2_000)])));
const search = createSearchClient(cli.serviceEnv['OPENSEARCH_URL']!);
const kafka = createKafkaClient({ brokers: [cli.serviceEnv['KAFKA_BROKERS']!], clientId: 'vigil-bench', logger: createLogger({ service: 'vigil-bench', level: 'error' }) });
const admin = kafka.admin();
const bench: Bench = {
  cli,
  config,
  runId,
  search,
  kafka,
  admin,
  services,
  cpu,
  rss,
  onCleanup: (step) => cleanupSteps.push(step),
  log,
};

async function main(): Promise<void> {
  log(`run ${runId}: ${results.machine.cores} cores (${results.machine.cpuModel}), load ${results.machine.loadAverageAtStart}, node ${process.version}`);
  if (!config.skipPrepare) await preparePlatform(cli, (line) => line.split('\n').forEach((l) => log(`[stack] ${l}`)));
  await admin.connect();
  bench.onCleanup(async () => {
    await admin.disconnect();
    await search.close();
  });
  await assertPortsFree(bench, serviceNames);
  // Runs after the services are stopped (cleanup goes latest first): dedup must not recreate them.
  bench.onCleanup(async () => {
    const purged = await purgeDedupState(cli.serviceEnv['REDIS_URL']!, `bench-${runId}-*`);
    log(`purged ${purged} dedup keys of the bench tenants from Redis`);
  });
  bench.onCleanup(() => stopBenchServices(bench));

  // The bench's workers read in groups of their own, from the end of their inputs.
  for (const { group, topics } of benchGroups(runId)) await resetGroupToEnd(bench.kafka, group, topics);

  // CPU accounting: the services as they start, the stack's processes (postgres backends come and go).
  // A service's processes: the gateway may run as a process group (GATEWAY_PROCESSES).
  for (const name of serviceNames) cpu.add(name, () => (services.get(name) ? processTree(services.get(name)!.pid) : []));
  const infra = findInfraPids();
  const infraAtStart = [...infra].filter(([n]) => n !== 'postgres').map(([name, pids]) => [name, Math.min(...pids)] as const);
  for (const name of ['kafka', 'opensearch', 'schema-registry', 'redis']) cpu.add(name, () => infra.get(name) ?? []);
  cpu.add('postgres', () => findInfraPids().get('postgres') ?? []);
  // A JVM just started runs its hot code interpreted until C2 has compiled it: on a fresh
  // stack the first runs measured (4b) 2-5x slower than the fourth (docs/benchmarks.md).
  const opensearchCpuAtStart = (infra.get('opensearch') ?? []).reduce((sum, pid) => sum + (cpuSeconds(pid) ?? 0), 0);
  if (opensearchCpuAtStart > 0 && opensearchCpuAtStart < JVM_WARM_CPU_SECONDS) {
    results.warnings.push(`OpenSearch had used only ${Math.round(opensearchCpuAtStart)} CPU-seconds since it started (< ${JVM_WARM_CPU_SECONDS}): its JIT is still compiling, so this run measures a cold stack; run the bench again for steady figures`);
  }
  rss.start();
  bench.onCleanup(async () => rss.stop());
  // Someone restarting Kafka or OpenSearch mid-run (an outage test) invalidates the numbers: say so.
  bench.onCleanup(async () => {
    const gone = infraAtStart.filter(([, pid]) => rssKb(pid) === null).map(([name, pid]) => `${name} (pid ${pid})`);
    if (gone.length > 0) results.warnings.push(`restarted during the run, by someone else: ${gone.join(', ')}; the numbers straddle a restart`);
  });

  // The same N normalized alerts for both ceilings: what the gateway would produce.
  const now = Date.now();
  const rawTenant = tenantOf(bench, 'raw');
  const alerts: Alert[] = Array.from({ length: config.n }, (_, n) => gatewayAlert(vigilBody(n, { stream: rawTenant, now, withId: true }), rawTenant, now));

  results.opensearch = await phase('1 opensearch bulk ceiling', () => opensearchCeiling(bench, alerts));
  results.correlationCore = await phase('6 correlation core, 100 rules', () => correlationCore(alerts));
  if (results.correlationCore) {
    const c = results.correlationCore;
    log(`   ${fmtInt(c.alertsPerSecond)} alerts/s on one core (${c.alerts} alerts, ${c.rules} rules, ${c.decisionsPerAlert} rule-group decisions per alert, ${c.incidents} incidents)`);
  }
  if (results.opensearch) log(`   ${fmtInt(results.opensearch.docsPerSecond)} docs/s (${results.opensearch.docs} docs in ${results.opensearch.seconds}s, ${results.opensearch.failedItems} failed)  cpu: ${topCpu(results.opensearch.cpu)}`);

  // The whole pipeline, consumers first as `vigil run` does (started together to save time).
  const startWorkers = (label: string) =>
    phase(label, async () => {
      const outcome = await Promise.allSettled(workerNames.filter((name) => !services.has(name)).map((name) => startBenchService(bench, name)));
      const failed = outcome.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      if (failed.length > 0) throw new Error(failed.map((f) => (f.reason as Error).message).join('; '));
      return true;
    });
  if (!(await startWorkers('start pipeline'))) return;
  const ingest = await phase('start ingest-api', () => startBenchService(bench, 'ingest-api'));
  if (!ingest) return;
  const sensor = (tenant: string) => mintDevToken(cli, { tenant, role: 'sensor', ttl: '3600' });
  const agent = createAgent(Math.max(config.clients, config.overloadMaxInFlight));
  bench.onCleanup(async () => agent.destroy());
  const targetFor = async (tenant: string): Promise<HttpTarget> => ({ host: '127.0.0.1', port: config.ports.ingest, headers: { authorization: `Bearer ${await sensor(tenant)}` } });

  const catchUp = async (label: string, timeoutS: number) => {
    const d = await phase(`drain: ${label}`, () => drain(bench, label, timeoutS));
    if (!d) return;
    results.drains.push(d);
    log(`   ${d.drained ? 'drained' : 'NOT drained'} in ${d.seconds}s (backlog ${JSON.stringify(d.lagBefore)} → ${JSON.stringify(d.lagAfter)})  cpu: ${topCpu(d.cpu)}`);
    if (!d.drained) results.warnings.push(`${label}: pipeline not drained within ${timeoutS}s (${JSON.stringify(d.lagAfter)})`);
  };
  // Whatever earlier runs (and other people's tests) left in the default groups must not sit in front of ours.
  await catchUp('backlog before the measurement', config.drainTimeoutS);

  results.warnings.push(...(await alertIndexWarnings(bench, alertIndexFor(Date.now())).catch(() => [])));
  const e2eTenant = tenantOf(bench, 'e2e');
  const latTenant = tenantOf(bench, 'lat');
  const loadTenant = tenantOf(bench, 'lbg');
  const latTenant2 = tenantOf(bench, 'lat2');
  const loadTenant2 = tenantOf(bench, 'lbg2');
  // Correlation runs on rules that are data: both tenants get the 100-rule set (bench-rules.ts).
  const ruleCount = await phase('import rules', () => importBenchRules(cli.serviceEnv['DATABASE_URL']!, [e2eTenant, latTenant, loadTenant, latTenant2, loadTenant2]));
  if (ruleCount) log(`   ${ruleCount} rules per tenant`);
  toggleProfiles(bench, '4');
  results.endToEnd = await phase('4 end-to-end throughput', async () => endToEnd(bench, agent, await targetFor(e2eTenant), e2eTenant));
  toggleProfiles(bench, '4');
  if (results.endToEnd) {
    const e = results.endToEnd;
    log(`   ${fmtInt(e.alertsPerSecond)} alerts/s end-to-end (${e.accepted} accepted in ${e.postSeconds}s, all searchable after ${e.seconds}s, whole pipeline done after ${e.settledSeconds}s = ${fmtInt(e.pipelineAlertsPerSecond)}/s; steady ${fmtInt(e.steadyAlertsPerSecond)}/s; ${e.searchable} seen)  cpu: ${topCpu(e.cpu)}`);
    log(`   max consumer lag during it: ${JSON.stringify(e.maxLag)}; stages: ${Object.entries(e.stages).filter(([, s]) => s.records > 0).map(([n, s]) => `${n} ${fmtInt(s.recordsPerSecond)} rec/s, ${s.meanBatchMs} ms/slice, ${s.cpuCores} cores`).join('; ')}`);
  }
  // Correlation may still be behind the indexer: the latency samples must not queue behind it.
  await catchUp('correlate catches up after end-to-end', config.drainTimeoutS);

  // Issue 13 asks for the latencies at half the max rate: the samples run beside batches for
  // another tenant (same rules). The max is the rate the whole pipeline sustains in (4), all
  // alerts searchable and correlated; the searchable rate alone (earlier runs' definition) is
  // one correlate cannot keep up with, so at half of it the samples queue behind correlate.
  // Both are measured: the first for the target, the second for continuity.
  const latencyAt = async (label: string, rate: number | null | undefined, tenant: string, backgroundTenant: string) => {
    const background = rate ? { target: await targetFor(backgroundTenant), tenant: backgroundTenant, alertsPerSecond: rate / 2 } : null;
    const l = await phase(label, async () => latency(bench, agent, await targetFor(tenant), tenant, background));
    if (l) log(`   stages: ${Object.entries(l.stages).filter(([, s]) => s.records > 0).map(([n, s]) => `${n} ${fmtInt(s.recordsPerSecond)} rec/s in ${s.batches} slices (${fmtInt(s.records / Math.max(1, s.batches))} per slice, ${s.meanBatchMs} ms; ${s.handleCalls} handler calls), ${s.cpuCores} cores`).join('; ')}`);
    if (l) log(`   searchable p50 ${fmtMs(l.searchableMs.p50)} p99 ${fmtMs(l.searchableMs.p99)} (in the indexer's bulk request after p50 ${fmtMs(l.indexedMs.p50)} p99 ${fmtMs(l.indexedMs.p99)}); incident p50 ${fmtMs(l.incidentMs.p50)} p99 ${fmtMs(l.incidentMs.p99)} (${l.accepted} samples, missing ${l.missingSearchable}/${l.missingIncident}; background ${l.background ? `${fmtInt(l.background.acceptedAlertsPerSecond)} of ${fmtInt(l.background.offeredAlertsPerSecond)} alerts/s` : 'none'})`);
    return l;
  };
  toggleProfiles(bench, '4b');
  results.latency = await latencyAt('4b latency samples, half the pipeline rate', results.endToEnd?.pipelineAlertsPerSecond, latTenant, loadTenant);
  toggleProfiles(bench, '4b');
  await catchUp('after the latency samples', config.drainTimeoutS);
  results.latencySearchableRate = await latencyAt('4d latency samples, half the searchable rate', results.endToEnd?.alertsPerSecond, latTenant2, loadTenant2);

  const searchTenant = tenantOf(bench, 'search');
  results.searchLatency = await phase('8 search and aggregation latency', async () => searchLatency(
    { search: bench.search, queryUrl: `http://127.0.0.1:${config.ports.query}`, token: await mintDevToken(cli, { tenant: searchTenant, role: 'analyst', ttl: '3600' }), tenant: searchTenant, runId, onCleanup: (step) => bench.onCleanup(step), log },
    { n: config.searchN, samples: config.searchSamples },
  ));
  if (results.searchLatency) {
    const s = results.searchLatency;
    for (const [name, r] of Object.entries(s.requests)) log(`   ${name}: api p50 ${fmtMs(r.api.p50)} p99 ${fmtMs(r.api.p99)} vs direct p50 ${fmtMs(r.direct.p50)} p99 ${fmtMs(r.direct.p99)}`);
  }

  results.scaleOut = await phase('9 scale-out, two instances of each worker', () => scaleOut(bench, agent, targetFor));
  for (const p of results.scaleOut?.passes ?? []) log(`   ${p.instances} each: ${fmtInt(p.alertsPerSecond)} alerts/s end to end; ${p.accepted} accepted, ${p.indexed} indexed, ${p.lost} lost, ${p.duplicated} duplicated; pipeline ${p.cpuMsPerAlert['pipeline']} ms CPU per alert`);

  // The two Kafka-side numbers without the workers competing for the two cores.
  await phase('stop workers', () => stopWorkers(bench));
  results.simulation = await phase('7 simulation vs live correlate', () => simulationSpeed({ databaseUrl: cli.serviceEnv['DATABASE_URL']!, opensearchUrl: cli.serviceEnv['OPENSEARCH_URL']! }, config.simulationN));
  if (results.simulation) {
    const s = results.simulation;
    log(`   simulation ${fmtInt(s.simulationAlertsPerSecond)} alerts/s vs live stage ${fmtInt(s.liveAlertsPerSecond)} alerts/s (${s.alerts} alerts, ${s.incidents} incidents)`);
  }
  const rawEndsBefore = await topicEnds(bench, topics.alertsRaw.name);
  results.producer = await phase('2 raw producer ceiling', () => producerCeiling(bench, alerts));
  if (results.producer) log(`   ${fmtInt(results.producer.recordsPerSecond)} records/s (${results.producer.records} in ${results.producer.seconds}s; send p50 ${fmtMs(results.producer.sendMs.p50)}; Avro encode alone ${results.producer.encodeSeconds}s)  cpu: ${topCpu(results.producer.cpu)}`);
  // The consume term of the CPU floor: read back exactly what (2) wrote, workers still stopped.
  const rawRanges = rangesBetween(rawEndsBefore, await topicEnds(bench, topics.alertsRaw.name));
  results.consumer = await phase('2b raw consumer ceiling', () => consumerCeiling(bench, topics.alertsRaw.name, rawRanges));
  if (results.consumer) log(`   ${fmtInt(results.consumer.recordsPerSecond)} records/s read and decoded (${results.consumer.records} in ${results.consumer.seconds}s)  cpu: ${topCpu(results.consumer.cpu)}`);
  results.gateway = await phase('3 gateway throughput', async () => gatewayThroughput(bench, agent, await targetFor(tenantOf(bench, 'gw'))));
  if (results.gateway) {
    const { batch, single } = results.gateway;
    log(`   batch: ${fmtInt(batch.alertsPerSecond)} alerts/s (${batch.accepted} in ${batch.seconds}s, p50 ${fmtMs(batch.requestMs.p50)}, p99 ${fmtMs(batch.requestMs.p99)}, ${JSON.stringify(batch.statuses)})  cpu: ${topCpu(batch.cpu)}`);
    log(`   single: ${fmtInt(single.alertsPerSecond)} alerts/s (p50 ${fmtMs(single.requestMs.p50)}, p99 ${fmtMs(single.requestMs.p99)}, ${JSON.stringify(single.statuses)})  cpu: ${topCpu(single.cpu)}`);
  }

  const gatewayRate = results.gateway?.batch.alertsPerSecond ?? results.producer?.recordsPerSecond ?? 1000;
  const logOverload = (o: Overload) => {
    log(`   offered ${fmtInt(o.targetAlertsPerSecond)} alerts/s, accepted ${fmtInt(o.acceptedAlertsPerSecond)}/s, shed ${(o.shedShare * 100).toFixed(1)}%, statuses ${JSON.stringify(o.statuses)} ${JSON.stringify(o.errorCodes)}, client drops ${o.clientDropped}`);
    log(`   max RSS during: ${Object.entries(o.rssKbDuring).map(([n, kb]) => `${n} ${Math.round(kb / 1024)} MB`).join(', ')}`);
  };
  // Overload in the conditions of (3), workers stopped: accepted vs unloaded compares like with like.
  results.overload = await phase('5 overload, gateway alone', async () => overload(bench, agent, await targetFor(tenantOf(bench, 'ovl')), gatewayRate));
  if (results.overload) logOverload(results.overload);
  // Then with the workers back and busy with the backlog (2), (3) and (5) left: the realistic case.
  if (!(await startWorkers('restart workers'))) return;
  results.overloadBusy = await phase('5b overload, pipeline busy', async () => overload(bench, agent, await targetFor(tenantOf(bench, 'ovb')), gatewayRate, 'overload-busy'));
  if (results.overloadBusy) logOverload(results.overloadBusy);
  // Leave the default groups as we found them: what the bench produced is processed before it stops.
  if (config.finalDrainS > 0) await catchUp('everything the bench produced', config.finalDrainS);
}

try {
  await main();
} catch (err) {
  results.errors['bench'] = (err as Error).message;
  console.error(`[bench] ${(err as Error).stack ?? String(err)}`);
} finally {
  await cleanup();
}
if (interrupted) process.exit(130);

results.machine.loadAverageAtEnd = loadAverage();
// Other people's processes on the same two cores depress every number: report how much.
const timed = Object.entries(results.phases).filter(([name]) => /^\d/.test(name));
const otherCores = timed.map(([, p]) => p.cpu.cores['other (not bench)'] ?? 0);
const otherMean = otherCores.length > 0 ? otherCores.reduce((a, b) => a + b, 0) / otherCores.length : 0;
results.machine.otherCoresDuringMeasurements = round(otherMean, 2);
if (otherMean > 0.25) results.warnings.push(`processes outside the bench used ${otherMean.toFixed(2)} of ${results.machine.cores} cores on average during the measurements (max ${Math.max(...otherCores).toFixed(2)}): the machine was not quiet, numbers are lower than they would be`);
results.totalSeconds = round((performance.now() - startedAt) / 1000, 1);
results.cpuFloor = floorOf(results);
results.ratios = computeRatios(results);
results.targets = targetRows(results, results.ratios);
// RSS per second is plenty for the record.
results.rssSeries = rss.series.filter((_, i) => i % 4 === 0);
const outDir = join(cli.stateDir, 'bench');
mkdirSync(outDir, { recursive: true });
const json = JSON.stringify(results, null, 2);
writeFileSync(join(outDir, 'latest.json'), json);
writeFileSync(join(outDir, `${runId}.json`), json);

console.log('');
console.log(`Vigil bench ${results.date} (run ${runId}, ${results.machine.cores} cores, ${results.totalSeconds}s, load ${results.machine.loadAverageAtStart} → ${results.machine.loadAverageAtEnd})`);
console.log(formatReport(results));
console.log(`\nwritten: ${join(outDir, 'latest.json')}`);
process.exit(Object.keys(results.errors).length > 0 ? 1 : 0);
