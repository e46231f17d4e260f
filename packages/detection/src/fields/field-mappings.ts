import type { AlertFieldName } from './alert-fields.ts';

/**
 * Common Sigma taxonomy, Windows event-log, ECS, Zeek/Suricata and web-log field names, by the
 * Vigil field that carries the same observable. Only consulted when the name is neither a Vigil
 * field nor a label on the alert, so a sensor that ships the original field as a label wins.
 * Names are case-sensitive, as Sigma field names are. docs/sigma-detection.md lists this table;
 * keep the two in step.
 */
export const sigmaFieldAliases: Readonly<Partial<Record<AlertFieldName, readonly string[]>>> = {
  src_ip: ['SourceIp', 'SourceAddress', 'IpAddress', 'ClientIP', 'c-ip', 'src', 'source.ip', 'client.ip'],
  dst_ip: ['DestinationIp', 'DestAddress', 'DestinationAddress', 'dst', 'destination.ip', 'server.ip'],
  src_port: ['SourcePort', 'IpPort', 'source.port', 'client.port'],
  dst_port: ['DestinationPort', 'DestPort', 'destination.port', 'server.port'],
  protocol: ['Protocol', 'proto', 'network.transport'],
  host: ['Computer', 'ComputerName', 'Hostname', 'HostName', 'DeviceName', 'host.name', 'host.hostname', 'agent.hostname'],
  user_name: ['User', 'UserName', 'TargetUserName', 'SubjectUserName', 'AccountName', 'user.name'],
  process: ['Image', 'NewProcessName', 'ProcessName', 'process.name', 'process.executable'],
  file_hash: [
    'Hashes', 'Hash', 'sha256', 'sha1', 'md5', 'SHA256', 'SHA1', 'MD5',
    'file.hash.sha256', 'file.hash.sha1', 'file.hash.md5', 'process.hash.sha256', 'process.hash.sha1', 'process.hash.md5',
  ],
  domain: ['QueryName', 'DestinationHostname', 'query', 'dns.question.name', 'url.domain', 'destination.domain', 'cs-host'],
  url: ['c-uri', 'Url', 'URL', 'url.full', 'url.original'],
  rule_name: ['signature', 'rule.name'],
  rule_id: ['signature_id', 'rule.id'],
  rule_category: ['rule.category'],
  severity_score: ['event.severity'],
  source_product: ['observer.product'],
  sensor_id: ['observer.name', 'agent.id'],
  original_id: ['event.id'],
};

const byAlias: ReadonlyMap<string, AlertFieldName> = new Map(
  Object.entries(sigmaFieldAliases).flatMap(([field, aliases]) => (aliases ?? []).map((alias) => [alias, field as AlertFieldName] as const)),
);

/** The Vigil field a common Sigma/ECS name stands for, if the table knows it. */
export function aliasedField(name: string): AlertFieldName | undefined {
  return byAlias.get(name);
}
