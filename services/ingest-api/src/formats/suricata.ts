import { object, unknown } from './shape.ts';
import { defineMapper } from './define-mapper.ts';
import { clippedText, lowerText, MAX_RULE_NAME, nullishObject, optionalId, optionalInteger, optionalText, requiredInteger, requiredText, stringList } from './fields.ts';
import { buildLabels } from './labels.ts';
import { failure } from './map-result.ts';
import { ip, port } from './network-fields.ts';
import { DEFAULT_SEVERITY, severityOfLevel, type SeverityValue } from './severity.ts';

/**
 * Suricata's alert.severity is the classtype priority: 1 is the most urgent. ET rules use
 * 1-3 and classification.config tops out at 4; anything lower-priority is informational.
 */
export function suricataSeverity(priority: number | null): SeverityValue {
  if (priority === null) return DEFAULT_SEVERITY;
  if (priority === 1) return severityOfLevel('high');
  if (priority === 2) return severityOfLevel('medium');
  if (priority === 3) return severityOfLevel('low');
  return severityOfLevel('info');
}

const schema = object({
  timestamp: unknown(),
  // Suricata masks flow ids to 51 bits precisely so that they survive JSON number parsing.
  flow_id: optionalId(),
  in_iface: optionalText(),
  /** EVE's `host` is the configured sensor-name, not a monitored host. */
  host: optionalText(),
  src_ip: ip(),
  src_port: port(),
  dest_ip: ip(),
  dest_port: port(),
  proto: lowerText(),
  app_proto: optionalText(),
  community_id: optionalText(),
  alert: object({
    action: optionalText(),
    signature_id: requiredInteger(1, 4_294_967_295),
    signature: requiredText(MAX_RULE_NAME),
    category: optionalText(),
    severity: optionalInteger(1, 255),
    metadata: nullishObject({ mitre_technique_id: stringList() }),
  }),
  http: nullishObject({ hostname: optionalText(), url: clippedText() }),
  tls: nullishObject({ sni: optionalText() }),
});

/** Suricata EVE JSON; only `event_type: "alert"` records are alerts. */
export const mapSuricata = defineMapper({
  format: 'suricata',
  precheck: (record) => {
    const type = record['event_type'];
    if (type === 'alert') return null;
    if (typeof type === 'string') {
      return failure('ALERT_NOT_AN_ALERT', 'event_type', `event_type is ${JSON.stringify(type)}: only EVE records with event_type "alert" are alerts`);
    }
    const problem = type === undefined ? 'is required' : 'must be a string';
    return failure('ALERT_SCHEMA_INVALID', 'event_type', `event_type ${problem}: EVE alerts have event_type "alert"`);
  },
  schema,
  eventTime: (e) => ({ value: e.timestamp, path: 'timestamp', encodings: ['iso8601'] }),
  toDraft: (e) => ({
    source_product: 'Suricata',
    sensor_id: e.host,
    // EVE alerts have no id of their own. flow_id is not one: every alert on a flow shares
    // it, and the gateway derives alert ids from original_id, so it goes to a label instead.
    original_id: null,
    rule_id: String(e.alert.signature_id),
    rule_name: e.alert.signature,
    rule_category: e.alert.category,
    ...suricataSeverity(e.alert.severity),
    src_ip: e.src_ip,
    src_port: e.src_port,
    dst_ip: e.dest_ip,
    dst_port: e.dest_port,
    protocol: e.proto,
    domain: e.http?.hostname ?? e.tls?.sni,
    url: e.http?.url,
    labels: buildLabels({
      action: e.alert.action,
      app_proto: e.app_proto,
      community_id: e.community_id,
      flow_id: e.flow_id,
      in_iface: e.in_iface,
      mitre_techniques: e.alert.metadata?.mitre_technique_id,
    }),
  }),
});
