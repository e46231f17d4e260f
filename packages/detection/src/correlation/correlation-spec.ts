import type { CountCondition } from './condition.ts';

export const correlationTypes = ['event_count', 'value_count', 'temporal', 'temporal_ordered', 'value_sum', 'value_avg', 'value_median', 'value_min', 'value_max'] as const;
export type CorrelationType = (typeof correlationTypes)[number];

/** Types that aggregate a `field` of the matched events. */
export const fieldTypes: ReadonlySet<CorrelationType> = new Set(['value_count', 'value_sum', 'value_avg', 'value_median', 'value_min', 'value_max']);
/** Types that read the field as a number (numeric strings count: labels are strings). */
export const numericTypes: ReadonlySet<CorrelationType> = new Set(['value_sum', 'value_avg', 'value_median', 'value_min', 'value_max']);

/** The `correlation:` section of a document, validated; references not yet resolved. */
export interface CorrelationSpec {
  readonly type: CorrelationType;
  /** As written under `rules:`: a detection's id or name, a correlation's, or an alert's rule_id/rule_name. */
  readonly rules: readonly string[];
  readonly groupBy: readonly string[];
  /** alias → (referenced rule name → field in that rule's events). */
  readonly aliases: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly timespanMs: number;
  readonly condition: CountCondition;
  /** The field(s) a value_* type aggregates; several fields count distinct tuples (value_count). */
  readonly field: readonly string[] | null;
  readonly generate: boolean;
}
