import { severities, type Severity } from '@vigil/contracts';
import { field, object, unknown } from './shape.ts';
import { defineMapper } from './define-mapper.ts';
import { accept, fileHash, lowerText, MAX_RULE_NAME, nullishObject, optionalText, reject, requiredText, type Check } from './fields.ts';
import { labelsField } from './labels.ts';
import { failure } from './map-result.ts';
import { ip, port } from './network-fields.ts';
import { severityOfLevel, severityOfScore, type SeverityValue } from './severity.ts';
import { jsonTypeOf } from './value-type.ts';

function checkSeverity(value: unknown): Check<SeverityValue> {
  if (typeof value === 'string' && (severities as readonly string[]).includes(value)) return accept(severityOfLevel(value as Severity));
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 100) return accept(severityOfScore(value));
  if (value === undefined || value === null) return reject('is required');
  const got = typeof value === 'string' || typeof value === 'number' ? JSON.stringify(value) : jsonTypeOf(value);
  return reject(`must be one of ${severities.join(', ')} or a number from 0 to 100 (got ${got})`);
}

const schema = object({
  id: optionalText(128),
  rule: object({
    id: requiredText(),
    name: requiredText(MAX_RULE_NAME),
    category: optionalText(),
  }),
  severity: field(checkSeverity),
  event_time: unknown(),
  source: nullishObject({ product: optionalText(), sensor_id: optionalText() }),
  observables: nullishObject({
    src_ip: ip(),
    src_port: port(),
    dst_ip: ip(),
    dst_port: port(),
    protocol: lowerText(),
    host: optionalText(),
    user: optionalText(),
    process: optionalText(),
    file_hash: fileHash(),
    domain: optionalText(),
    url: optionalText(),
  }),
  labels: labelsField(),
});

/** Vigil's own format, documented in docs/formats.md; the fields map almost one to one. */
export const mapVigil = defineMapper({
  format: 'vigil',
  precheck: (record) => {
    // A sensor must not be able to pick its tenant: the tenant comes from the verified token.
    for (const key of ['tenant_id', 'tenant']) {
      if (key in record) {
        return failure('ALERT_SCHEMA_INVALID', key, `${key} must not be sent: the tenant is taken from the bearer token, remove the field`);
      }
    }
    return null;
  },
  schema,
  eventTime: (a) => ({ value: a.event_time, path: 'event_time', encodings: ['rfc3339', 'epoch-ms'] }),
  toDraft: (a) => ({
    source_product: a.source?.product,
    sensor_id: a.source?.sensor_id,
    original_id: a.id,
    rule_id: a.rule.id,
    rule_name: a.rule.name,
    rule_category: a.rule.category,
    ...a.severity,
    src_ip: a.observables?.src_ip,
    src_port: a.observables?.src_port,
    dst_ip: a.observables?.dst_ip,
    dst_port: a.observables?.dst_port,
    protocol: a.observables?.protocol,
    host: a.observables?.host,
    user_name: a.observables?.user,
    process: a.observables?.process,
    file_hash: a.observables?.file_hash,
    domain: a.observables?.domain,
    url: a.observables?.url,
    labels: a.labels,
  }),
});
