import type { SourceFormat } from '@vigil/contracts';
import { expandDottedKeys, getPath } from './dotted-keys.ts';
import { isPlainObject } from './value-type.ts';

type Probe = (record: unknown) => boolean;

function has(record: unknown, path: string): boolean {
  const value = getPath(record, path);
  return value !== undefined && value !== null;
}
function isA(record: unknown, path: string, type: 'string' | 'number'): boolean {
  return typeof getPath(record, path) === type;
}

/**
 * Ordered: the most distinctive signatures first. Wazuh documents carry `rule.id` like
 * Vigil's and often `@timestamp` like ECS, so they must be recognised before either.
 * Non-alert records of a known format (a Suricata flow event, ECS event.kind "event") are
 * still detected, so their mapper can answer ALERT_NOT_AN_ALERT instead of "unknown format".
 */
const probes: readonly (readonly [SourceFormat, Probe])[] = [
  ['ocsf', (r) => isA(r, 'class_uid', 'number') && (has(r, 'metadata') || has(r, 'category_uid') || has(r, 'finding_info'))],
  ['suricata', (r) => isA(r, 'event_type', 'string') && (isPlainObject(getPath(r, 'alert')) || isA(r, 'flow_id', 'number') || isA(r, 'src_ip', 'string'))],
  ['wazuh', (r) => isA(r, 'rule.level', 'number') && (isPlainObject(getPath(r, 'agent')) || isPlainObject(getPath(r, 'manager')))],
  ['zeek', (r) => has(r, 'ts') && (isA(r, 'note', 'string') || isA(r, '_path', 'string') || has(r, 'id.orig_h'))],
  ['ecs', (r) => has(r, '@timestamp') && isA(r, 'event.kind', 'string')],
  ['vigil', (r) => has(r, 'rule.id') && has(r, 'event_time')],
];

/** Guesses the format of one record from its content; null when nothing fits. */
export function detectFormat(input: unknown): SourceFormat | null {
  if (!isPlainObject(input)) return null;
  const record = expandDottedKeys(input);
  return probes.find(([, probe]) => probe(record))?.[0] ?? null;
}
