import type { Alert } from '@vigil/contracts';

/** The alert's own fields a rule may name directly: every key except the label map and the raw record. */
export type AlertFieldName = Exclude<keyof Alert, 'labels' | 'raw'>;

// A record rather than an array so the compiler insists on every key: a field added to Alert
// without being listed here fails to type-check instead of silently becoming a label lookup.
const ownFields: Readonly<Record<AlertFieldName, true>> = {
  id: true,
  tenant_id: true,
  source_format: true,
  source_product: true,
  sensor_id: true,
  original_id: true,
  rule_id: true,
  rule_name: true,
  rule_category: true,
  severity: true,
  severity_score: true,
  event_time: true,
  received_time: true,
  src_ip: true,
  src_port: true,
  dst_ip: true,
  dst_port: true,
  protocol: true,
  host: true,
  user_name: true,
  process: true,
  file_hash: true,
  domain: true,
  url: true,
  fingerprint: true,
  dedup_count: true,
  first_seen: true,
  last_seen: true,
};

export const alertFieldNames: readonly AlertFieldName[] = Object.freeze(Object.keys(ownFields) as AlertFieldName[]);

export function isAlertFieldName(name: string): name is AlertFieldName {
  return Object.hasOwn(ownFields, name);
}
