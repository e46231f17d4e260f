import { object, unknown } from './shape.ts';
import { defineMapper } from './define-mapper.ts';
import { fileHash, lowerText, MAX_RULE_NAME, nullishObject, optionalId, optionalText, requiredId, requiredInteger, requiredText, stringList } from './fields.ts';
import { buildLabels } from './labels.ts';
import { failure } from './map-result.ts';
import { ip, port } from './network-fields.ts';
import { severityOfScore, type SeverityValue } from './severity.ts';

/**
 * Wazuh rule levels 0-15 → score. Bands follow Wazuh's own dashboard grouping (7-11 medium,
 * 12-14 high, 15 critical), with 0-3 (ignored, system noise, successful events) as info;
 * within a band the score keeps rising so sorting by score preserves level order.
 */
const levelScores: readonly number[] = [0, 5, 10, 15, 20, 25, 32, 40, 45, 52, 58, 65, 70, 78, 85, 95];

/** Wazuh's web-accesslog decoder stores the HTTP method in data.protocol. */
const HTTP_METHODS = new Set(['get', 'head', 'post', 'put', 'delete', 'connect', 'options', 'trace', 'patch']);

export function wazuhSeverity(level: number): SeverityValue {
  return severityOfScore(levelScores[level] ?? 0);
}

const schema = object({
  timestamp: unknown(),
  '@timestamp': unknown(),
  id: optionalId(),
  rule: object({
    id: requiredId(),
    level: requiredInteger(0, 15),
    description: requiredText(MAX_RULE_NAME),
    groups: stringList(),
    mitre: nullishObject({ id: stringList() }),
  }),
  agent: nullishObject({ id: optionalId(), name: optionalText() }),
  decoder: nullishObject({ name: optionalText() }),
  predecoder: nullishObject({ program_name: optionalText(), hostname: optionalText() }),
  data: nullishObject({
    srcip: ip(),
    srcport: port(),
    dstip: ip(),
    dstport: port(),
    protocol: lowerText(),
    srcuser: optionalText(),
    dstuser: optionalText(),
    url: optionalText(),
  }),
  syscheck: nullishObject({ path: optionalText(), sha256_after: fileHash(), sha1_after: fileHash(), md5_after: fileHash() }),
});

/** Wazuh manager alerts (alerts.json lines, or the same documents read back from the indexer). */
export const mapWazuh = defineMapper({
  format: 'wazuh',
  precheck: (record) => {
    // archives.json holds every decoded event; only those that matched a rule are alerts.
    const looksLikeEvent = 'full_log' in record || 'location' in record || 'decoder' in record;
    if (record['rule'] === undefined && looksLikeEvent) {
      return failure('ALERT_NOT_AN_ALERT', 'rule', 'rule is missing: this is a decoded Wazuh event (archives.json), not an alert (alerts.json)');
    }
    return null;
  },
  schema,
  eventTime: (w) =>
    w.timestamp === undefined && w['@timestamp'] !== undefined
      ? { value: w['@timestamp'], path: '@timestamp', encodings: ['iso8601'] }
      : { value: w.timestamp, path: 'timestamp', encodings: ['iso8601'] },
  toDraft: (w) => {
    const protocol = w.data?.protocol ?? null;
    const httpMethod = protocol !== null && HTTP_METHODS.has(protocol) ? protocol.toUpperCase() : null;
    return {
      source_product: 'Wazuh',
      sensor_id: w.agent?.name ?? w.agent?.id,
      original_id: w.id,
      rule_id: w.rule.id,
      rule_name: w.rule.description,
      // Groups run from generic to specific (syslog, sshd, authentication_failures).
      rule_category: w.rule.groups.at(-1),
      ...wazuhSeverity(w.rule.level),
      src_ip: w.data?.srcip,
      src_port: w.data?.srcport,
      dst_ip: w.data?.dstip,
      dst_port: w.data?.dstport,
      protocol: httpMethod === null ? protocol : null,
      // Syslog relayed through the manager names the real origin in predecoder.hostname.
      host: w.predecoder?.hostname ?? w.agent?.name,
      user_name: w.data?.dstuser ?? w.data?.srcuser,
      process: w.predecoder?.program_name,
      file_hash: w.syscheck?.sha256_after ?? w.syscheck?.sha1_after ?? w.syscheck?.md5_after,
      url: w.data?.url,
      labels: buildLabels({
        groups: w.rule.groups,
        mitre_techniques: w.rule.mitre?.id,
        agent_id: w.agent?.id,
        decoder: w.decoder?.name,
        file_path: w.syscheck?.path,
        http_method: httpMethod,
      }),
    };
  },
});
