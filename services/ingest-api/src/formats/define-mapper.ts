import type { SourceFormat } from '@vigil/contracts';
import { buildDraft, type DraftFields } from './draft.ts';
import { resolveEventTime, type TimeEncoding } from './event-time.ts';
import { failure, type MapFailure, type Mapper } from './map-result.ts';
import { schemaFailure } from './schema-failure.ts';
import type { Infer, Shape } from './shape.ts';
import { isPlainObject, jsonTypeOf } from './value-type.ts';

export interface EventTimeField {
  readonly value: unknown;
  readonly path: string;
  readonly encodings: readonly TimeEncoding[];
}

/** The parts that differ between formats; the order of the checks is the same for all of them. */
export interface FormatSpec<S extends Shape<unknown>> {
  readonly format: SourceFormat;
  /** Reshapes the record before anything looks at it (e.g. expanding dotted keys). */
  readonly prepare?: (record: Record<string, unknown>) => Record<string, unknown>;
  /**
   * Runs before the schema, so a well-formed record that is not an alert (a Suricata flow
   * event) or carries a forbidden field gets a precise answer rather than a schema error.
   */
  readonly precheck?: (record: Record<string, unknown>) => MapFailure | null;
  readonly schema: S;
  readonly eventTime: (record: Infer<S>) => EventTimeField;
  readonly toDraft: (record: Infer<S>) => DraftFields;
}

export function defineMapper<S extends Shape<unknown>>(spec: FormatSpec<S>): Mapper {
  return (input, ctx) => {
    if (!isPlainObject(input)) {
      return failure('ALERT_SCHEMA_INVALID', '', `the alert must be a JSON object (got ${jsonTypeOf(input)})`);
    }
    const record = spec.prepare ? spec.prepare(input) : input;
    const rejected = spec.precheck?.(record) ?? null;
    if (rejected !== null) return rejected;
    const parsed = spec.schema.check(record);
    if (!parsed.ok) return schemaFailure(parsed);
    const data = parsed.value as Infer<S>;
    const time = spec.eventTime(data);
    const eventTime = resolveEventTime(time.value, time.path, time.encodings, ctx.now);
    if (!eventTime.ok) return eventTime;
    return { ok: true, draft: buildDraft(spec.format, spec.toDraft(data), eventTime.value) };
  };
}
