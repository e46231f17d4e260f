import { object, unknown } from './shape.ts';
import { defineMapper } from './define-mapper.ts';
import { clippedText, fileHash, lowerText, MAX_RULE_NAME, nullishObject, optionalId, optionalText, requiredId, requiredInteger, requiredText, stringList } from './fields.ts';
import { buildLabels } from './labels.ts';
import { failure } from './map-result.ts';
import { ipIfAny, ipOrNothing, port, portIfAny } from './network-fields.ts';
import { severityOfScore, type SeverityValue } from './severity.ts';

/**
 * Wazuh rule levels 0-16 → score. Bands follow Wazuh's own dashboard grouping (7-11 medium,
 * 12-14 high, 15-16 critical; 16 is the documented top, used by custom rules for the worst
 * cases), with 0-3 (ignored, system noise, successful events) as info; within a band the
 * score keeps rising so sorting by score preserves level order.
 */
const levelScores: readonly number[] = [0, 5, 10, 15, 20, 25, 32, 40, 45, 52, 58, 65, 70, 78, 85, 95, 100];

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
    level: requiredInteger(0, 16),
    description: requiredText(MAX_RULE_NAME),
    groups: stringList(),
    mitre: nullishObject({ id: stringList() }),
  }),
  agent: nullishObject({ id: optionalId(), name: optionalText() }),
  decoder: nullishObject({ name: optionalText() }),
  predecoder: nullishObject({ program_name: optionalText(), hostname: optionalText() }),
  data: nullishObject({
    srcip: ipOrNothing(),
    srcport: port(),
    dstip: ipOrNothing(),
    dstport: port(),
    // Suricata's EVE fields, as Wazuh's json decoder keeps them (rule 86601 and friends).
    src_ip: ipOrNothing(),
    src_port: port(),
    dest_ip: ipOrNothing(),
    dest_port: port(),
    proto: lowerText(),
    protocol: lowerText(),
    srcuser: optionalText(),
    dstuser: optionalText(),
    url: clippedText(),
    // Windows event channel (Security 4624/4625, Sysmon) as the eventchannel decoder names it.
    win: nullishObject({
      eventdata: nullishObject({
        ipAddress: ipIfAny(),
        ipPort: portIfAny(),
        sourceIp: ipIfAny(),
        destinationIp: ipIfAny(),
        targetUserName: optionalText(),
        subjectUserName: optionalText(),
        user: optionalText(),
        image: optionalText(),
        newProcessName: optionalText(),
        hashes: optionalText(),
      }),
      system: nullishObject({ computer: optionalText() }),
    }),
    virustotal: nullishObject({ source: nullishObject({ sha1: fileHash(), md5: fileHash() }) }),
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
    const win = w.data?.win?.eventdata;
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
      src_ip: w.data?.srcip ?? w.data?.src_ip ?? win?.ipAddress ?? win?.sourceIp,
      src_port: w.data?.srcport ?? w.data?.src_port ?? win?.ipPort,
      dst_ip: w.data?.dstip ?? w.data?.dest_ip ?? win?.destinationIp,
      dst_port: w.data?.dstport ?? w.data?.dest_port,
      protocol: httpMethod === null ? (protocol ?? w.data?.proto) : null,
      // Syslog relayed through the manager names the real origin in predecoder.hostname.
      host: w.predecoder?.hostname ?? w.agent?.name ?? w.data?.win?.system?.computer,
      user_name: w.data?.dstuser ?? w.data?.srcuser ?? win?.targetUserName ?? win?.user ?? win?.subjectUserName,
      process: w.predecoder?.program_name ?? win?.image ?? win?.newProcessName,
      file_hash: w.syscheck?.sha256_after ?? w.syscheck?.sha1_after ?? w.syscheck?.md5_after ?? sysmonHash(win?.hashes) ?? w.data?.virustotal?.source?.sha1 ?? w.data?.virustotal?.source?.md5,
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

/** Sysmon's `Hashes` (`SHA1=…,MD5=…,SHA256=…,IMPHASH=…`): the strongest digest it carries, lower-cased. */
export function sysmonHash(hashes: string | null | undefined): string | null {
  if (!hashes) return null;
  const digests = new Map(hashes.split(',').map((part) => part.split('=') as [string, string | undefined]).map(([k, v]) => [k.trim().toUpperCase(), v?.trim().toLowerCase() ?? '']));
  for (const [name, length] of [['SHA256', 64], ['SHA1', 40], ['MD5', 32]] as const) {
    const digest = digests.get(name);
    if (digest && digest.length === length && /^[0-9a-f]+$/.test(digest)) return digest;
  }
  return null;
}
