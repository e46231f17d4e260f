import { createHash } from 'node:crypto';
import type { Alert } from '@vigil/contracts';

/**
 * Alert fields a fingerprint may name, besides `labels.<name>`. Ids and times are left
 * out on purpose: they differ on every occurrence and would make every alert unique.
 */
export const fingerprintFieldNames = [
  'source_product',
  'sensor_id',
  'rule_name',
  'rule_category',
  'severity',
  'src_ip',
  'src_port',
  'dst_ip',
  'dst_port',
  'protocol',
  'host',
  'user_name',
  'process',
  'file_hash',
  'domain',
  'url',
] as const satisfies readonly (keyof Alert)[];

type PlainField = (typeof fingerprintFieldNames)[number];

/** Always part of the fingerprint, whatever the configuration says (see docs/dedup.md). */
export const implicitFields = ['tenant_id', 'source_format', 'rule_id'] as const;

const LABEL_PREFIX = 'labels.';
const plainFields: ReadonlySet<string> = new Set(fingerprintFieldNames);
const implicit: ReadonlySet<string> = new Set(implicitFields);

export type FieldList = { readonly ok: true; readonly fields: readonly string[] } | { readonly ok: false; readonly problem: string };

/**
 * Validate and normalise a configured field list: sorted, without repeats and without
 * the implicit fields, so lists that mean the same give the same fingerprint.
 */
export function normaliseFields(names: readonly string[]): FieldList {
  const unknown = names.filter((name) => !plainFields.has(name) && !implicit.has(name) && !(name.startsWith(LABEL_PREFIX) && name.length > LABEL_PREFIX.length));
  if (unknown.length > 0) return { ok: false, problem: `unknown fingerprint field(s): ${unknown.join(', ')}` };
  const fields = [...new Set(names.filter((name) => !implicit.has(name)))].sort();
  return { ok: true, fields };
}

export type FingerprintInput = Pick<Alert, 'tenant_id' | 'source_format' | 'rule_id' | 'labels' | PlainField>;

function valueOf(alert: FingerprintInput, field: string): string | number | null {
  if (field.startsWith(LABEL_PREFIX)) return alert.labels[field.slice(LABEL_PREFIX.length)] ?? null;
  return alert[field as PlainField] ?? null;
}

/**
 * sha256 (hex) of the JSON text
 *   ["vigil-dedup-v1", tenant_id, source_format, rule_id, [[field, value], ...]]
 * with `fields` already normalised (sorted). A missing field is JSON `null`, which no
 * present value encodes to: missing, "" and "null" give three different fingerprints.
 */
export function fingerprint(alert: FingerprintInput, fields: readonly string[]): string {
  const material = JSON.stringify(['vigil-dedup-v1', alert.tenant_id, alert.source_format, alert.rule_id, fields.map((field) => [field, valueOf(alert, field)])]);
  return createHash('sha256').update(material).digest('hex');
}
