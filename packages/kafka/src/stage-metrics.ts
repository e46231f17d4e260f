import { Counter, Gauge, Histogram, type Registry } from '@vigil/metrics';

export interface StageMetrics {
  readonly recordsIn: Counter<'stage' | 'topic'>;
  readonly recordsOut: Counter<'stage' | 'topic'>;
  readonly dropped: Counter<'stage'>;
  readonly deadLettered: Counter<'stage' | 'code'>;
  readonly retries: Counter<'stage'>;
  readonly batchSeconds: Histogram<'stage'>;
  readonly handleCalls: Counter<'stage'>;
  readonly handleSlices: Counter<'stage'>;
  readonly handleRecords: Counter<'stage'>;
  readonly lag: Gauge<'stage' | 'topic' | 'partition'>;
  readonly paused: Gauge<'stage'>;
  readonly stuck: Gauge<'stage' | 'topic' | 'partition'>;
}

export function createStageMetrics(registry: Registry): StageMetrics {
  const registers = [registry];
  return {
    recordsIn: new Counter({ name: 'vigil_stage_records_in_total', help: 'Records handled and committed (a retried record counts once)', labelNames: ['stage', 'topic'], registers }),
    recordsOut: new Counter({ name: 'vigil_stage_records_out_total', help: 'Records produced downstream', labelNames: ['stage', 'topic'], registers }),
    dropped: new Counter({ name: 'vigil_stage_records_dropped_total', help: 'Records handled with no output (e.g. suppressed duplicates)', labelNames: ['stage'], registers }),
    deadLettered: new Counter({ name: 'vigil_stage_dead_lettered_total', help: 'Records sent to the stage DLQ', labelNames: ['stage', 'code'], registers }),
    retries: new Counter({ name: 'vigil_stage_retries_total', help: 'Retried attempts of a record slice', labelNames: ['stage'], registers }),
    batchSeconds: new Histogram({ name: 'vigil_stage_batch_seconds', help: 'Time to handle one slice, outputs and commit', labelNames: ['stage'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers }),
    handleCalls: new Counter({ name: 'vigil_stage_handle_calls_total', help: "Calls of the stage's handler (one may carry the slices of several partitions)", labelNames: ['stage'], registers }),
    handleSlices: new Counter({ name: 'vigil_stage_handle_slices_total', help: 'Partition slices those calls carried', labelNames: ['stage'], registers }),
    handleRecords: new Counter({ name: 'vigil_stage_handle_records_total', help: 'Records those calls carried', labelNames: ['stage'], registers }),
    lag: new Gauge({ name: 'vigil_stage_consumer_lag', help: 'High watermark minus committed offset, per partition this worker owns (sampled from the broker)', labelNames: ['stage', 'topic', 'partition'], registers }),
    stuck: new Gauge({ name: 'vigil_stage_stuck_seconds', help: 'Seconds since the committed offset last moved while lag > 0, per owned partition', labelNames: ['stage', 'topic', 'partition'], registers }),
    paused: new Gauge({ name: 'vigil_stage_paused_partitions', help: 'Partitions paused on a dependency outage', labelNames: ['stage'], registers }),
  };
}
