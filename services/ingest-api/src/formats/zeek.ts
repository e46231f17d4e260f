import { object, unknown } from './shape.ts';
import { defineMapper } from './define-mapper.ts';
import { expandDottedKeys } from './dotted-keys.ts';
import { clippedText, lowerText, MAX_RULE_NAME, nullishObject, optionalText, requiredText, stringList } from './fields.ts';
import { buildLabels } from './labels.ts';
import { failure } from './map-result.ts';
import { ip, port } from './network-fields.ts';
import { DEFAULT_SEVERITY, severityOfLevel, type SeverityValue } from './severity.ts';

const ALERT_PATHS: readonly unknown[] = ['notice', 'notice_alarm'];

/** Notices carry no severity; the site's notice policy escalating one to an alarm or drop is the only signal. */
export function zeekSeverity(actions: readonly string[]): SeverityValue {
  const escalated = actions.includes('Notice::ACTION_ALARM') || actions.includes('Notice::ACTION_DROP');
  return escalated ? severityOfLevel('high') : DEFAULT_SEVERITY;
}

const schema = object({
  ts: unknown(),
  _system_name: optionalText(),
  uid: optionalText(),
  id: nullishObject({ orig_h: ip(), orig_p: port(), resp_h: ip(), resp_p: port() }),
  proto: lowerText(),
  note: requiredText(),
  msg: optionalText(MAX_RULE_NAME),
  sub: clippedText(),
  src: ip(),
  dst: ip(),
  p: port(),
  peer_descr: optionalText(),
  actions: stringList(),
});

/** Zeek notice.log (and notice_alarm.log) records written by the JSON log writer. */
export const mapZeek = defineMapper({
  format: 'zeek',
  // The JSON writer emits "id.orig_h" as a flat key; some shippers nest it as id.orig_h.
  prepare: (record) => expandDottedKeys(record) as Record<string, unknown>,
  precheck: (record) => {
    const path = record['_path'];
    if (path === undefined || ALERT_PATHS.includes(path)) return null;
    return failure('ALERT_NOT_AN_ALERT', '_path', `_path is ${JSON.stringify(path)}: only notice and notice_alarm records are alerts`);
  },
  schema,
  eventTime: (n) => ({ value: n.ts, path: 'ts', encodings: ['epoch-seconds', 'iso8601'] }),
  toDraft: (n) => ({
    source_product: 'Zeek',
    sensor_id: n._system_name ?? n.peer_descr,
    // Notices have no id of their own. uid names the connection, which several notices can
    // share, and the gateway derives alert ids from original_id, so uid goes to a label.
    original_id: null,
    rule_id: n.note,
    rule_name: n.msg ?? n.note,
    // Notice types are namespaced by the script module that raises them: Scan::Port_Scan.
    rule_category: n.note.includes('::') ? n.note.slice(0, n.note.indexOf('::')) : null,
    ...zeekSeverity(n.actions),
    src_ip: n.id?.orig_h ?? n.src,
    src_port: n.id?.orig_p,
    dst_ip: n.id?.resp_h ?? n.dst,
    dst_port: n.id?.resp_p ?? n.p,
    protocol: n.proto,
    labels: buildLabels({ uid: n.uid, sub: n.sub, actions: n.actions }),
  }),
});
