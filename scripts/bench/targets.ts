import type { BenchResults } from './report.ts';
import { ALL_PROCESSES } from './proc.ts';
import { fmtMb, fmtRatio } from './stats.ts';

/**
 * Issue 13's table: each measurement with the value the issue was filed against, the last
 * clean run before this work (docs/benchmarks.md, run mx5sfse89075), this run and the
 * target. Printed at the end of every run and kept in the JSON, so progress (or its
 * absence) is read from one place.
 */
export interface TargetRow {
  readonly measurement: string;
  readonly filed: string;
  readonly previous: string;
  readonly value: number | null;
  readonly shown: string;
  readonly target: string;
  /** null when this run did not measure it. */
  readonly met: boolean | null;
}

interface Spec {
  readonly measurement: string;
  readonly filed: string;
  readonly previous: string;
  readonly target: string;
  readonly value: (r: BenchResults, ratios: Record<string, number | null>) => number | null;
  readonly show: (v: number | null) => string;
  /** Whether the value meets the target; extra conditions (no request unanswered) included. */
  readonly meets: (v: number, r: BenchResults) => boolean;
}

/** The largest process of any service, or (`all`) the largest sum of one service's processes. */
const maxRssKb = (r: BenchResults, all = false): number | null => {
  const entries = [...Object.entries(r.overload?.rssKbDuring ?? {}), ...Object.entries(r.overloadBusy?.rssKbDuring ?? {})];
  const values = entries.filter(([name]) => name.endsWith(ALL_PROCESSES) === all).map(([, kb]) => kb);
  return values.length > 0 ? Math.max(...values) : null;
};

const seconds = (ms: number | null) => (ms === null ? 'n/a' : `${(ms / 1000).toFixed(2)} s`);

const specs: readonly Spec[] = [
  { measurement: 'whole-pipeline CPU per alert vs its CPU floor', filed: 'not measured', previous: '9.86x', target: '≤ 1.25x', value: (_, q) => q['pipelineCpuToFloor'] ?? null, show: fmtRatio, meets: (v) => v <= 1.25 },
  { measurement: 'end to end (202 → searchable) vs the rate the CPU floor allows', filed: 'not measured', previous: '0.14x', target: '≥ 0.8x', value: (_, q) => q['endToEndToFloorRate'] ?? null, show: fmtRatio, meets: (v) => v >= 0.8 },
  { measurement: 'end to end vs raw bulk ceiling (for continuity)', filed: '0.16–0.23x', previous: '0.08x', target: '—', value: (_, q) => q['endToEndToOpenSearch'] ?? null, show: fmtRatio, meets: () => true },
  { measurement: 'gateway, batches of 100, vs raw producer', filed: '0.35–0.44x', previous: '0.24x', target: '≥ 0.8x', value: (_, q) => q['gatewayBatchToProducer'] ?? null, show: fmtRatio, meets: (v) => v >= 0.8 },
  {
    measurement: 'gateway under 2x overload, accepted vs unloaded (no request unanswered); workers stopped as in (3)',
    filed: 'n/a (see 5b)',
    previous: 'n/a (see 5b)',
    target: '≥ 0.9x, 0 unanswered',
    value: (_, q) => q['overloadAcceptedToGatewayBatch'] ?? null,
    show: fmtRatio,
    meets: (v, r) => v >= 0.9 && (r.overload?.transportErrorShare ?? 1) === 0,
  },
  {
    measurement: '… the same with the workers busy on a backlog (5b, reported)',
    filed: '0.38–0.40x',
    previous: '0.33x',
    target: '—',
    value: (_, q) => q['overloadBusyAcceptedToGatewayBatch'] ?? null,
    show: fmtRatio,
    meets: () => true,
  },
  { measurement: '202 → searchable p99 at half the max rate (the rate the whole pipeline sustains in (4))', filed: '1.1–2.2 s', previous: '1.11 s', target: '≤ 1.0 s', value: (r) => r.latency?.searchableMs.p99 ?? null, show: seconds, meets: (v) => v <= 1000 },
  { measurement: '202 → incident p99 at half the max rate (the rate the whole pipeline sustains in (4))', filed: '1.3–2.7 s', previous: '1.37 s', target: '≤ 1.5 s', value: (r) => r.latency?.incidentMs.p99 ?? null, show: seconds, meets: (v) => v <= 1500 },
  { measurement: '… searchable p99 at half the searchable rate of (4) (earlier runs, reported)', filed: '—', previous: '—', target: '—', value: (r) => r.latencySearchableRate?.searchableMs.p99 ?? null, show: seconds, meets: () => true },
  { measurement: '… incident p99 at half the searchable rate of (4) (earlier runs, reported)', filed: '—', previous: '—', target: '—', value: (r) => r.latencySearchableRate?.incidentMs.p99 ?? null, show: seconds, meets: () => true },
  { measurement: 'max RSS of any service process under 2x overload (5 and 5b)', filed: '311–331 MB', previous: '330 MB', target: '≤ 256 MB', value: (r) => maxRssKb(r), show: fmtMb, meets: (v) => v <= 256 * 1024 },
  { measurement: '… all processes of a service together (a gateway process group, reported)', filed: '—', previous: '—', target: '—', value: (r) => maxRssKb(r, true), show: fmtMb, meets: () => true },
];

export function targetRows(r: BenchResults, ratios: Record<string, number | null>): TargetRow[] {
  return specs.map((s) => {
    const value = s.value(r, ratios);
    // A row reported for continuity has no target to meet.
    const reported = s.target === '—';
    return { measurement: s.measurement, filed: s.filed, previous: s.previous, value, shown: s.show(value), target: s.target, met: value === null || reported ? null : s.meets(value, r) };
  });
}

/** The rows as a table: measurement | when filed | before this work | this run | target | met. */
export function targetTable(rows: readonly TargetRow[]): string[][] {
  return [
    ['issue 13 target', 'when filed', 'run mx5sfse89075', 'this run', 'target', 'met'],
    ...rows.map((row) => [row.measurement, row.filed, row.previous, row.shown, row.target, row.target === '—' ? '—' : row.met === null ? 'n/a' : row.met ? 'yes' : 'no']),
  ];
}
