import type { Alert, CorrelationAudit, DuplicateNotice, Incident } from '../src/alert.ts';

type Base<V> = [V] extends [string] ? 'string' : [V] extends [number] ? 'number' : [V] extends [readonly unknown[]] ? 'array' : [V] extends [Record<string, unknown>] ? 'map' : never;
/** How a TS field holds its value: `number?` for `number | null` (optional or not). */
type FieldKind<V> = null extends V ? `${Base<Exclude<V, null | undefined>>}?` : Base<V>;
/** One entry per field of T, no more, no less, each with the kind its type has. */
export type Shape<T> = { readonly [K in keyof Required<T>]-?: FieldKind<Required<T>[K]> };

// The compiler checks these tables against the TS types (a field added, removed or
// retyped in alert.ts fails to compile); record-shapes.test.ts checks them against the
// Avro schemas, the contract. Together: the types cannot drift from the schemas.
export const alertShape: Shape<Alert> = {
  id: 'string', tenant_id: 'string', source_format: 'string', source_product: 'string?', sensor_id: 'string?', original_id: 'string?',
  rule_id: 'string', rule_name: 'string', rule_category: 'string?', severity: 'string', severity_score: 'number', event_time: 'number',
  received_time: 'number', src_ip: 'string?', src_port: 'number?', dst_ip: 'string?', dst_port: 'number?', protocol: 'string?', host: 'string?',
  user_name: 'string?', process: 'string?', file_hash: 'string?', domain: 'string?', url: 'string?', labels: 'map', raw: 'string?',
  fingerprint: 'string?', dedup_count: 'number', first_seen: 'number?', last_seen: 'number?',
};

export const duplicateNoticeShape: Shape<DuplicateNotice> = {
  tenant_id: 'string', canonical_id: 'string', canonical_event_time: 'number', duplicate_id: 'string', fingerprint: 'string',
  count: 'number', first_seen: 'number', last_seen: 'number', duplicate_event_time: 'number?',
};

export const incidentShape: Shape<Incident> = {
  id: 'string', tenant_id: 'string', revision: 'number', rule_id: 'string', rule_name: 'string', group_key: 'string', status: 'string',
  severity: 'string', alert_count: 'number', alert_ids: 'array', window_start: 'number', window_end: 'number', first_seen: 'number',
  last_seen: 'number', updated_at: 'number', rule_version: 'number', group_values: 'map', tags: 'array', assignee: 'string?',
};

export const correlationAuditShape: Shape<CorrelationAudit> = {
  id: 'string', tenant_id: 'string', decision: 'string', rule_id: 'string', rule_version: 'number', alert_id: 'string?',
  event_time: 'number?', incident_id: 'string?', group_key: 'string?', reason: 'string?', watermark: 'number?', at: 'number',
};
