import type { DrainResult } from './phases/pipeline.ts';
import type { EndToEnd } from './phases/end-to-end.ts';
import type { GatewayRun } from './phases/gateway.ts';
import type { Latency } from './phases/latency.ts';
import type { CorrelationCore } from './phases/correlation-core.ts';
import type { SimulationSpeed } from './phases/simulation.ts';
import type { SearchLatency } from './phases/search-latency.ts';
import type { OpenSearchCeiling } from './phases/opensearch-ceiling.ts';
import type { Overload } from './phases/overload.ts';
import type { ProducerCeiling } from './phases/producer-ceiling.ts';
import type { ConsumerCeiling } from './phases/consumer-ceiling.ts';
import type { ScaleOut } from './phases/scale-out.ts';
import { scaleOutRows } from './scale-out-report.ts';
import { cpuFloor, type CpuFloor } from './cpu-floor.ts';
import { targetRows, targetTable, type TargetRow } from './targets.ts';
import type { CpuShare } from './proc.ts';
import { fmtInt, fmtMb, fmtMs, fmtPct, fmtRatio, ratio } from './stats.ts';

export interface BenchResults {
  runId: string;
  date: string;
  machine: { cores: number; cpuModel: string; memoryGb: number; node: string; loadAverageAtStart: string; loadAverageAtEnd?: string; otherCoresDuringMeasurements?: number };
  config: unknown;
  warnings: string[];
  errors: Record<string, string>;
  totalSeconds?: number;
  opensearch?: OpenSearchCeiling;
  producer?: ProducerCeiling;
  consumer?: ConsumerCeiling;
  cpuFloor?: CpuFloor;
  gateway?: { batch: GatewayRun; single: GatewayRun };
  drains: DrainResult[];
  phases: Record<string, { seconds: number; cpu: CpuShare; opensearch: Record<string, number> | null }>;
  endToEnd?: EndToEnd;
  /** (4b)/(4c): beside half the rate the whole pipeline sustains in (4). */
  latency?: Latency;
  /** (4d): beside half the searchable rate of (4), the definition of earlier runs. */
  latencySearchableRate?: Latency;
  correlationCore?: CorrelationCore;
  simulation?: SimulationSpeed;
  searchLatency?: SearchLatency;
  overload?: Overload;
  /** (5b) the same overload with the workers busy on a backlog. */
  overloadBusy?: Overload;
  scaleOut?: ScaleOut;
  ratios?: Record<string, number | null>;
  /** Issue 13's table (targets.ts): filed, previous, this run, target, met. */
  targets?: TargetRow[];
  rssSeries?: unknown;
}

/** The pipeline's CPU floor from this run's ceilings and its end-to-end phase (cpu-floor.ts). */
export function floorOf(r: BenchResults): CpuFloor {
  return cpuFloor({ bulk: r.opensearch, produce: r.producer, consume: r.consumer, endToEnd: r.endToEnd, cores: r.machine.cores });
}

export function computeRatios(r: BenchResults): Record<string, number | null> {
  const os = r.opensearch?.docsPerSecond ?? null;
  const prod = r.producer?.recordsPerSecond ?? null;
  const floor = r.cpuFloor ?? floorOf(r);
  return {
    pipelineCpuToFloor: floor.pipelineToFloor,
    endToEndToFloorRate: floor.endToEndToFloorRate,
    gatewayBatchToProducer: ratio(r.gateway?.batch.alertsPerSecond ?? null, prod),
    gatewaySingleToProducer: ratio(r.gateway?.single.alertsPerSecond ?? null, prod),
    endToEndToOpenSearch: ratio(r.endToEnd?.alertsPerSecond ?? null, os),
    endToEndSteadyToOpenSearch: ratio(r.endToEnd?.steadyAlertsPerSecond ?? null, os),
    endToEndToGatewayBatch: ratio(r.endToEnd?.alertsPerSecond ?? null, r.gateway?.batch.alertsPerSecond ?? null),
    overloadAcceptedToGatewayBatch: ratio(r.overload?.acceptedAlertsPerSecond ?? null, r.gateway?.batch.alertsPerSecond ?? null),
    overloadBusyAcceptedToGatewayBatch: ratio(r.overloadBusy?.acceptedAlertsPerSecond ?? null, r.gateway?.batch.alertsPerSecond ?? null),
    correlateToDedup: ratio(r.endToEnd?.stages['correlate']?.recordsPerSecond ?? null, r.endToEnd?.stages['dedup']?.recordsPerSecond ?? null),
    simulationToLive: ratio(r.simulation?.simulationAlertsPerSecond ?? null, r.simulation?.liveAlertsPerSecond ?? null),
    correlationCoreToDedup: ratio(r.correlationCore?.alertsPerSecond ?? null, r.endToEnd?.stages['dedup']?.recordsPerSecond ?? null),
  };
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  const line = (row: readonly string[]) => `| ${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ')} |`;
  return [line(rows[0]!), `|${widths.map((w, c) => (c === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

/** The top CPU users of a phase, e.g. "opensearch 1.10, bench client 0.40". */
export function topCpu(cpu: CpuShare | undefined, n = 4): string {
  if (!cpu) return 'n/a';
  return Object.entries(cpu.cores)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, cores]) => `${name} ${cores.toFixed(2)}`)
    .join(', ');
}

/** The rows of one overload run: offered, accepted vs (3), shed, answer times, RSS per service. */
function overloadRows(rows: string[][], title: string, ov: Overload | undefined, gatewayRate: number | null, acceptedRatio: number | null): void {
  rows.push([`${title}: offered (alerts/s)`, fmtInt(ov?.targetAlertsPerSecond), ov ? `${(ov.targetAlertsPerSecond / Math.max(1, gatewayRate ?? 1)).toFixed(2)}x of (3)` : '', topCpu(ov?.cpu)]);
  rows.push(['   … accepted (alerts/s)', fmtInt(ov?.acceptedAlertsPerSecond), `${fmtRatio(acceptedRatio)} of (3)`, '']);
  rows.push(['   … shed with 429/503 / no answer', ov ? `${fmtPct(ov.shedShare)} / ${fmtPct(ov.transportErrorShare)}` : 'n/a', '', ov ? `statuses ${JSON.stringify(ov.statuses)}, client-side drops ${ov.clientDropped}` : '']);
  rows.push(['   … request p50 / p99', `${fmtMs(ov?.requestMs.p50)} / ${fmtMs(ov?.requestMs.p99)}`, '', ov ? `503 answered after p50 ${fmtMs(ov.msByStatus['503']?.p50)}; codes ${JSON.stringify(ov.errorCodes)}` : '']);
  for (const name of Object.keys(ov?.rssKbDuring ?? {}).sort()) {
    rows.push([`   … max RSS ${name}`, fmtMb(ov!.rssKbDuring[name]), '', `before ${fmtMb(ov!.rssKbBefore[name])}, 5 s after ${fmtMb(ov!.rssKbAfter[name])}`]);
  }
}

/** The table printed at the end of a run and pasted into docs/benchmarks.md. */
export function formatReport(r: BenchResults): string {
  const ratios = r.ratios ?? computeRatios(r);
  const rows: string[][] = [['measurement', 'value', 'ratio', 'CPU (cores) of the busiest processes']];
  const os = r.opensearch;
  rows.push(['1. OpenSearch bulk ceiling (docs/s)', fmtInt(os?.docsPerSecond), '1.00x', topCpu(os?.cpu)]);
  rows.push(['   … all searchable (docs/s, incl. refresh)', fmtInt(os?.searchableDocsPerSecond), '', '']);
  const pr = r.producer;
  rows.push(['2. Raw producer ceiling (records/s)', fmtInt(pr?.recordsPerSecond), '1.00x', topCpu(pr?.cpu)]);
  const co = r.consumer;
  rows.push(['2b. Raw consumer ceiling, read + decode (records/s)', fmtInt(co?.recordsPerSecond), '1.00x', topCpu(co?.cpu)]);
  const gw = r.gateway;
  rows.push([`3. Gateway, batches of 100 (alerts/s)`, fmtInt(gw?.batch.alertsPerSecond), `${fmtRatio(ratios['gatewayBatchToProducer'])} of (2)`, topCpu(gw?.batch.cpu)]);
  rows.push(['   … request p50 / p99', `${fmtMs(gw?.batch.requestMs.p50)} / ${fmtMs(gw?.batch.requestMs.p99)}`, '', '']);
  rows.push(['3b. Gateway, single alerts (alerts/s)', fmtInt(gw?.single.alertsPerSecond), `${fmtRatio(ratios['gatewaySingleToProducer'])} of (2)`, topCpu(gw?.single.cpu)]);
  rows.push(['   … request p50 / p99', `${fmtMs(gw?.single.requestMs.p50)} / ${fmtMs(gw?.single.requestMs.p99)}`, '', '']);
  const e2e = r.endToEnd;
  rows.push(['4. End-to-end, 202 → searchable (alerts/s)', fmtInt(e2e?.alertsPerSecond), `${fmtRatio(ratios['endToEndToOpenSearch'])} of (1)`, topCpu(e2e?.cpu)]);
  rows.push(['   … steady state 10%→90% (alerts/s)', fmtInt(e2e?.steadyAlertsPerSecond), `${fmtRatio(ratios['endToEndSteadyToOpenSearch'])} of (1)`, '']);
  const floor = r.cpuFloor ?? floorOf(r);
  const ms = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(3)} ms`);
  rows.push(['   … CPU floor per alert (ms of CPU)', ms(floor.floorMsPerAlert), '1.00x', `bulk ${ms(floor.bulkMsPerDoc)}/doc + ${floor.writesPerAlert} × produce ${ms(floor.produceMsPerRecord)} + ${floor.readsPerAlert} × consume ${ms(floor.consumeMsPerRecord)}`]);
  rows.push(['   … whole-pipeline CPU per alert (all processes)', ms(floor.pipelineMsPerAlert), `**${fmtRatio(ratios['pipelineCpuToFloor'])} of floor**`, 'target ≤ 1.25x; every accounted process in (4) but the bench client']);
  rows.push([`   … rate the floor allows on ${r.machine.cores} cores (alerts/s)`, fmtInt(floor.floorAlertsPerSecond), `(4) is **${fmtRatio(ratios['endToEndToFloorRate'])}**`, 'target ≥ 0.8x; cores ÷ floor']);
  if (e2e) {
    const stage = (name: string) => e2e.stages[name];
    rows.push(['   … stages (rec/s, ms per slice)', '', '', ['dedup', 'correlate', 'indexer'].map((n) => `${n} ${fmtInt(stage(n)?.recordsPerSecond)}/s ${fmtInt(stage(n)?.meanBatchMs)} ms`).join(', ')]);
    rows.push(['   … correlate (100 rules/tenant) vs dedup rate', '', `${fmtRatio(ratios['correlateToDedup'])} of dedup`, '']);
    rows.push(['   … max consumer lag', '', '', Object.entries(e2e.maxLag).map(([g, v]) => `${g.replace('vigil.', '')} ${fmtInt(v)}`).join(', ')]);
  }
  const latencyRows = (label: string, lat: Latency | undefined, of: string) => {
    rows.push([`${label} 202 → searchable p50 / p99`, `${fmtMs(lat?.searchableMs.p50)} / ${fmtMs(lat?.searchableMs.p99)}`, '', lat ? `${lat.accepted} samples at ${lat.ratePerSecond}/s, ${lat.missingSearchable} missing; ${lat.background ? `beside ${fmtInt(lat.background.acceptedAlertsPerSecond)} alerts/s accepted of ${fmtInt(lat.background.offeredAlertsPerSecond)} offered (${of})` : 'no background load'}` : '']);
    rows.push([`   … 202 → in the indexer's bulk request p50 / p99`, `${fmtMs(lat?.indexedMs.p50)} / ${fmtMs(lat?.indexedMs.p99)}`, '', 'the rest of the searchable time is refresh interval and poll']);
    rows.push([`   … 202 → incident updated p50 / p99`, `${fmtMs(lat?.incidentMs.p50)} / ${fmtMs(lat?.incidentMs.p99)}`, '', lat ? `${lat.missingIncident} missing` : '']);
  };
  rows.push(['   … whole pipeline done, searchable and correlated (alerts/s)', fmtInt(e2e?.pipelineAlertsPerSecond), '', e2e ? `${e2e.settledSeconds} s after the first 202` : '']);
  latencyRows('4b. Latency at half the pipeline rate:', r.latency, 'half the whole-pipeline rate of (4)');
  latencyRows('4d. Latency at half the searchable rate:', r.latencySearchableRate, 'half the searchable rate of (4)');
  const core = r.correlationCore;
  rows.push(['6. Correlation core, 100 rules, one core (alerts/s)', fmtInt(core?.alertsPerSecond), `${fmtRatio(ratios['correlationCoreToDedup'])} of dedup`, core ? `${core.decisionsPerAlert} rule-group decisions per alert, ${core.incidents} incidents` : '']);
  const sim = r.simulation;
  rows.push(['7. Simulation (backtest from OpenSearch, alerts/s)', fmtInt(sim?.simulationAlertsPerSecond), `${fmtRatio(ratios['simulationToLive'])} of live`, sim ? `live correlate stage on the same rule and alerts: ${fmtInt(sim.liveAlertsPerSecond)}/s; ${sim.incidents} incidents` : '']);
  for (const [name, q] of Object.entries(r.searchLatency?.requests ?? {})) rows.push([`8. ${name} (query API p50 / p99)`, `${fmtMs(q.api.p50)} / ${fmtMs(q.api.p99)}`, `${fmtRatio(q.ratioP50)} / ${fmtRatio(q.ratioP99)} of direct`, `tenant ${fmtInt(r.searchLatency!.tenantAlerts)} of ${fmtInt(r.searchLatency!.totalAlerts)} alerts`]);
  overloadRows(rows, '5. Overload, gateway alone', r.overload, r.gateway?.batch.alertsPerSecond ?? null, ratios['overloadAcceptedToGatewayBatch'] ?? null);
  overloadRows(rows, '5b. Overload, pipeline busy', r.overloadBusy, r.gateway?.batch.alertsPerSecond ?? null, ratios['overloadBusyAcceptedToGatewayBatch'] ?? null);
  const lines = [table(rows), '', table(targetTable(r.targets ?? targetRows(r, ratios)))];

  if (r.drains.length > 0) {
    const drainRows: string[][] = [['catch-up (stages flat out)', 'seconds', 'backlog before', 'dedup rec/s', 'indexer rec/s', 'correlate rec/s']];
    for (const d of r.drains) {
      const perStage = (stage: string, group: string) => {
        const s = d.stages[stage];
        const t = d.secondsToZero[group] ?? d.seconds;
        return s && t > 0 ? fmtInt(s.records / t) : 'n/a';
      };
      drainRows.push([
        `${d.label}${d.drained ? '' : ' (NOT drained)'}`,
        String(d.seconds),
        Object.entries(d.lagBefore).map(([g, v]) => `${g.replace('vigil.', '')} ${v}`).join(', '),
        perStage('dedup', 'dedup'),
        perStage('indexer', 'indexer'),
        perStage('correlate', 'correlate'),
      ]);
    }
    lines.push('', table(drainRows));
  }
  const phaseRows: string[][] = [['phase', 'seconds', 'machine busy', 'OpenSearch refreshes/s', 'index ops/s', 'bulk requests/s', 'busiest processes (cores)']];
  for (const [name, p] of Object.entries(r.phases)) {
    phaseRows.push([name, String(p.seconds), fmtPct(p.cpu.machineBusy), p.opensearch ? String(p.opensearch['refreshesPerSecond']) : 'n/a', p.opensearch ? fmtInt(p.opensearch['indexOpsPerSecond']) : 'n/a', p.opensearch?.['writeRequestsPerSecond'] !== undefined ? String(p.opensearch['writeRequestsPerSecond']) : 'n/a', topCpu(p.cpu, 5)]);
  }
  if (phaseRows.length > 1) lines.push('', table(phaseRows));
  if (r.scaleOut) lines.push('', table(scaleOutRows(r.scaleOut)));
  if (r.warnings.length > 0) lines.push('', ...r.warnings.map((w) => `warning: ${w}`));
  for (const [phase, message] of Object.entries(r.errors)) lines.push(`error in ${phase}: ${message}`);
  return lines.join('\n');
}
