import type { CpuShare } from './proc.ts';
import { ratio, round } from './stats.ts';

/**
 * The pipeline's CPU floor (issue 13, DESIGN.md §9): on shared cores the pipeline is
 * CPU-bound, so the honest limit is what the systems it is built on cost per alert,
 * measured in the same run: raw bulk indexing per document, plus raw produce per record
 * for every Kafka write an alert needs, plus raw consume per record for every read.
 *
 * An alert that dedup forwards is written twice (gateway → alerts.raw.v1, dedup →
 * alerts.v1) and read three times (dedup reads alerts.raw.v1; correlate and the indexer
 * each read alerts.v1). Correlations and audit records are per incident, not per alert,
 * and are left out: the floor is a lower bound.
 */
export const KAFKA_WRITES_PER_ALERT = 2;
export const KAFKA_READS_PER_ALERT = 3;

/** Processes that stand for the outside world (sensors, analysts), not the pipeline. */
const NOT_PIPELINE = new Set(['bench client', 'other (not bench)']);

/** CPU seconds the named groups used over the share's interval. */
export function cpuSecondsOf(cpu: CpuShare, groups: readonly string[]): number {
  return groups.reduce((sum, g) => sum + (cpu.cores[g] ?? 0), 0) * cpu.seconds;
}

/** CPU seconds of every process the bench accounts for except the load generator and other people's. */
export function pipelineCpuSeconds(cpu: CpuShare): number {
  return Object.entries(cpu.cores).reduce((sum, [g, cores]) => (NOT_PIPELINE.has(g) ? sum : sum + cores), 0) * cpu.seconds;
}

export interface FloorInputs {
  /** Phase (1): bulk requests by the bench (the indexer's client work) into OpenSearch. */
  readonly bulk?: { readonly docs: number; readonly cpu: CpuShare } | undefined;
  /** Phase (2): the gateway's producer in the bench process into Kafka. */
  readonly produce?: { readonly records: number; readonly cpu: CpuShare } | undefined;
  /** Phase (2b): one consumer in the bench process reading and decoding them back. */
  readonly consume?: { readonly records: number; readonly cpu: CpuShare } | undefined;
  /** Phase (4): the whole pipeline from the first 202 until every alert is searchable and correlated. */
  readonly endToEnd?: { readonly accepted: number; readonly alertsPerSecond: number | null; readonly cpu: CpuShare } | undefined;
  readonly cores: number;
}

export interface CpuFloor {
  /** Milliseconds of CPU per unit, each from its own ceiling phase. */
  readonly bulkMsPerDoc: number | null;
  readonly produceMsPerRecord: number | null;
  readonly consumeMsPerRecord: number | null;
  readonly writesPerAlert: number;
  readonly readsPerAlert: number;
  /** bulk + writes × produce + reads × consume. */
  readonly floorMsPerAlert: number | null;
  /** Every accounted process during (4) (services, Kafka, OpenSearch, registry, Redis, PostgreSQL) ÷ alerts. */
  readonly pipelineMsPerAlert: number | null;
  readonly pipelineToFloor: number | null;
  /** Alerts/s the floor allows if the whole machine did nothing else: cores ÷ floor. */
  readonly floorAlertsPerSecond: number | null;
  readonly endToEndToFloorRate: number | null;
}

const perUnitMs = (cpuSeconds: number, units: number): number | null => (units > 0 ? round((cpuSeconds * 1000) / units, 4) : null);

/**
 * Only the processes doing the work count towards each ceiling (bench client plus
 * OpenSearch, or plus Kafka): the others idle along during the phase, and counting their
 * idling three times would raise the floor.
 */
export function cpuFloor(input: FloorInputs): CpuFloor {
  const bulk = input.bulk ? perUnitMs(cpuSecondsOf(input.bulk.cpu, ['bench client', 'opensearch']), input.bulk.docs) : null;
  const produce = input.produce ? perUnitMs(cpuSecondsOf(input.produce.cpu, ['bench client', 'kafka', 'schema-registry']), input.produce.records) : null;
  const consume = input.consume ? perUnitMs(cpuSecondsOf(input.consume.cpu, ['bench client', 'kafka', 'schema-registry']), input.consume.records) : null;
  const floor = bulk !== null && produce !== null && consume !== null ? round(bulk + KAFKA_WRITES_PER_ALERT * produce + KAFKA_READS_PER_ALERT * consume, 4) : null;
  const e2e = input.endToEnd;
  const pipeline = e2e ? perUnitMs(pipelineCpuSeconds(e2e.cpu), e2e.accepted) : null;
  const floorRate = floor !== null && floor > 0 ? Math.round((input.cores * 1000) / floor) : null;
  return {
    bulkMsPerDoc: bulk,
    produceMsPerRecord: produce,
    consumeMsPerRecord: consume,
    writesPerAlert: KAFKA_WRITES_PER_ALERT,
    readsPerAlert: KAFKA_READS_PER_ALERT,
    floorMsPerAlert: floor,
    pipelineMsPerAlert: pipeline,
    pipelineToFloor: ratio(pipeline, floor),
    floorAlertsPerSecond: floorRate,
    endToEndToFloorRate: ratio(e2e?.alertsPerSecond ?? null, floorRate),
  };
}
