import { z } from 'zod';
import { alertFilterShape, timeOrder } from './alert-filters.ts';

/**
 * Triage aggregations: a fixed menu, each a bounded terms or date_histogram on a field
 * this service names. No aggregation can name tenant_id, be global, run a script or
 * nest beyond what is written here; bucket counts are capped.
 */
export const MAX_TOP = 50;
const MAX_HISTOGRAM_BUCKETS = 120;
const DAY = 86_400_000;
const DEFAULT_RANGE = DAY;

const topFields = {
  top_rules: 'rule_id',
  top_sources: 'src_ip',
  top_destinations: 'dst_ip',
  top_hosts: 'host',
  top_users: 'user_name',
  top_products: 'source_product',
} as const;
const aggNames = ['severity_over_time', ...(Object.keys(topFields) as Array<keyof typeof topFields>), 'top_labels'] as const;
export type AggName = (typeof aggNames)[number];

export const aggregationSchema = z
  .object({
    ...alertFilterShape,
    agg: z
      .union([z.enum(aggNames), z.array(z.enum(aggNames)).max(aggNames.length)])
      .transform((v) => [...new Set(Array.isArray(v) ? v : [v])])
      .default([...aggNames].filter((n) => n !== 'top_labels')),
    top: z.coerce.number().int().min(1).max(MAX_TOP).default(10),
    // flat_object labels aggregate per key only: top values of one label.
    label_key: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/).optional(),
  })
  .strict()
  .refine(timeOrder, { message: 'from must not be after to', path: ['from'] })
  .refine((p) => !p.agg.includes('top_labels') || p.label_key !== undefined, { message: 'top_labels needs label_key', path: ['label_key'] });
export type AggregationParams = z.infer<typeof aggregationSchema>;

// Human-friendly steps; the smallest that keeps the histogram within its bucket cap wins.
const STEPS: ReadonlyArray<readonly [string, number]> = [
  ['1m', 60_000], ['5m', 300_000], ['15m', 900_000], ['30m', 1_800_000], ['1h', 3_600_000], ['3h', 10_800_000],
  ['6h', 21_600_000], ['12h', 43_200_000], ['1d', DAY], ['7d', 7 * DAY], ['30d', 30 * DAY], ['365d', 365 * DAY],
];

export function histogramInterval(from: number, to: number): string {
  const span = Math.max(to - from, 1);
  const step = STEPS.find(([, ms]) => span / ms <= MAX_HISTOGRAM_BUCKETS);
  // Beyond 120 years, whole days wide enough for the cap: OpenSearch answers too many buckets with a 503.
  return step ? step[0] : `${Math.ceil(span / MAX_HISTOGRAM_BUCKETS / DAY)}d`;
}

/** Aggregations without an explicit range cover the last day, so histograms stay bounded. */
export function effectiveRange(p: { from?: number | undefined; to?: number | undefined }, now: number): { from: number; to: number } {
  const to = p.to ?? now;
  return { from: p.from ?? to - DEFAULT_RANGE, to };
}

export function aggregationBody(p: AggregationParams, range: { from: number; to: number }): Record<string, unknown> {
  const aggs: Record<string, unknown> = {};
  for (const name of p.agg) {
    if (name === 'severity_over_time') {
      aggs[name] = {
        date_histogram: { field: 'event_time', fixed_interval: histogramInterval(range.from, range.to), min_doc_count: 0, extended_bounds: { min: range.from, max: range.to } },
        aggs: { severity: { terms: { field: 'severity', size: 5 } } },
      };
    } else if (name === 'top_labels') {
      aggs[name] = { terms: { field: `labels.${p.label_key}`, size: p.top } };
    } else {
      aggs[name] = { terms: { field: topFields[name], size: p.top } };
    }
  }
  return aggs;
}

interface Bucket {
  key: string | number;
  key_as_string?: string;
  doc_count: number;
  severity?: { buckets: Bucket[] };
}

// OpenSearch 2.19 adds a bucket keyed by a Java object name when a terms aggregation runs
// on a flat_object sub-field; it is not a label value.
const isFlatObjectArtifact = (key: string | number) => typeof key === 'string' && key.startsWith('java.lang.Object@');

/** OpenSearch buckets into a small stable shape. */
export function presentAggregations(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw)) {
    const buckets = (value as { buckets?: Bucket[] }).buckets ?? [];
    out[name] =
      name === 'severity_over_time'
        ? buckets.map((b) => ({ t: b.key, count: b.doc_count, by_severity: Object.fromEntries((b.severity?.buckets ?? []).map((s) => [s.key, s.doc_count])) }))
        : buckets.filter((b) => !isFlatObjectArtifact(b.key)).map((b) => ({ key: b.key_as_string ?? b.key, count: b.doc_count }));
  }
  return out;
}
