import type { Severity } from '@vigil/contracts';
import { object, oneOf, refine, unknown, type Infer } from './shape.ts';
import { defineMapper } from './define-mapper.ts';
import { expandDottedKeys, getPath } from './dotted-keys.ts';
import { fileHash, lowerText, MAX_RULE_NAME, nullishObject, optionalId, optionalInteger, optionalText, stringList } from './fields.ts';
import { buildLabels } from './labels.ts';
import { collectStrings } from './collect-strings.ts';
import { failure } from './map-result.ts';
import { ip, port } from './network-fields.ts';
import { DEFAULT_SEVERITY, severityOfLevelAndScore } from './severity.ts';

const ALERT_KINDS: readonly unknown[] = ['alert', 'signal'];

const kibanaSeverity = oneOf(['low', 'medium', 'high', 'critical']).nullish();

/**
 * The detection-rule fields of an Elastic Security alert (8.x under kibana.alert, 7.x under
 * signal). `threat` is read with collectStrings: Kibana nests it as an array of objects.
 */
const detectionRule = { rule_id: optionalId(), name: optionalText(MAX_RULE_NAME), threat: unknown() };

const endpoint = nullishObject({ ip: ip(), port: port(), domain: optionalText() });
const hashes = nullishObject({ sha256: fileHash(), sha1: fileHash(), md5: fileHash() });

const documentSchema = object({
  '@timestamp': unknown(),
  event: object({
    kind: oneOf(['alert', 'signal']),
    id: optionalId(),
    severity: optionalInteger(0, 100),
    category: stringList(),
    module: optionalText(),
  }),
  rule: nullishObject({ id: optionalId(), name: optionalText(MAX_RULE_NAME), category: optionalText() }),
  kibana: nullishObject({
    alert: nullishObject({ uuid: optionalText(), severity: kibanaSeverity, risk_score: optionalInteger(0, 100), rule: nullishObject(detectionRule) }),
  }),
  signal: nullishObject({ rule: nullishObject({ ...detectionRule, severity: kibanaSeverity, risk_score: optionalInteger(0, 100) }) }),
  // ECS flattens threat.technique.id; Elastic Defend writes Kibana's array-of-objects shape.
  threat: unknown(),
  source: endpoint,
  destination: endpoint,
  network: nullishObject({ transport: lowerText(), protocol: lowerText() }),
  host: nullishObject({ name: optionalText(), hostname: optionalText() }),
  user: nullishObject({ name: optionalText() }),
  process: nullishObject({ name: optionalText(), executable: optionalText(), hash: hashes }),
  file: nullishObject({ hash: hashes }),
  url: nullishObject({ full: optionalText(), original: optionalText(), domain: optionalText() }),
  dns: nullishObject({ question: nullishObject({ name: optionalText() }) }),
  observer: nullishObject({ name: optionalText(), hostname: optionalText(), product: optionalText() }),
  agent: nullishObject({ name: optionalText(), id: optionalText() }),
});

type EcsDocument = Infer<typeof documentSchema>;

function strongestDigest(hash: Infer<typeof hashes>): string | null {
  return hash?.sha256 ?? hash?.sha1 ?? hash?.md5 ?? null;
}

interface RuleSource {
  readonly id: string;
  readonly name: string | null;
  readonly category: string | null;
  readonly severity: Severity | null;
  readonly score: number | null;
  readonly techniques: readonly string[];
  /** Set when the alert was raised by the Elastic Security detection engine. */
  readonly elastic: boolean;
}

function techniquesOf(threat: unknown): string[] {
  return [...collectStrings(threat, 'technique.id'), ...collectStrings(threat, 'technique.subtechnique.id')];
}

function fromDetectionRule(
  rule: { rule_id: string | null; name: string | null; threat?: unknown } | null | undefined,
  severity: Severity | null | undefined,
  score: number | null | undefined,
): RuleSource | null {
  if (!rule?.rule_id) return null;
  return {
    id: rule.rule_id,
    name: rule.name,
    // kibana.alert.rule.category is the rule type ("Custom Query Rule"); the tactic says more.
    category: collectStrings(rule.threat, 'tactic.name')[0] ?? null,
    severity: severity ?? null,
    score: score ?? null,
    techniques: techniquesOf(rule.threat),
    elastic: true,
  };
}

function fromEcsRule(doc: EcsDocument): RuleSource | null {
  // Elastic Agent's Zeek notices carry only rule.name (SSH::Password_Guessing): it is the id.
  const id = doc.rule?.id ?? doc.rule?.name;
  if (!doc.rule || !id) return null;
  return {
    id,
    name: doc.rule.name,
    category: doc.rule.category ?? collectStrings(doc.threat, 'tactic.name')[0] ?? null,
    // Left to event.severity, which toDraft falls back to for every source.
    severity: null,
    score: null,
    techniques: [],
    elastic: false,
  };
}

/**
 * The detection rule wins over ECS `rule.*`: in an Elastic Security alert, `rule.*` is copied
 * from the source event (a firewall or IDS rule), not the rule that raised the alert.
 */
function ruleSourceOf(doc: EcsDocument): RuleSource | null {
  const alert = doc.kibana?.alert;
  const signal = doc.signal?.rule;
  return fromDetectionRule(alert?.rule, alert?.severity, alert?.risk_score) ?? fromDetectionRule(signal, signal?.severity, signal?.risk_score) ?? fromEcsRule(doc);
}

const schema = refine(documentSchema, (doc) =>
  ruleSourceOf(doc) === null ? { path: ['rule', 'id'], message: 'is required (Elastic Security alerts may carry kibana.alert.rule.rule_id instead)' } : null,
);

/** Fields that are lists in ECS itself; every other list of plain values holds one field's values. */
const LIST_FIELDS: ReadonlySet<string> = new Set(['event.category', 'event.type', 'tags']);

/**
 * ECS allows any field to hold an array, and Elastic writes them: integrations copy
 * `source.ip: ["175.16.199.1"]` into alerts, and the search API's `fields` option returns
 * every value as a list. A list of plain values becomes its first value, as Kibana shows it.
 */
function firstOfValueLists(value: unknown, path: string): unknown {
  if (Array.isArray(value)) {
    const plain = value.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v));
    return plain && !LIST_FIELDS.has(path) && value.length > 0 ? value[0] : value;
  }
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, firstOfValueLists(v, path ? `${path}.${k}` : k)]));
}

/** ECS documents that are alerts: event.kind "alert", or "signal" from Elastic Security. */
export const mapEcs = defineMapper({
  format: 'ecs',
  prepare: (record) => firstOfValueLists(expandDottedKeys(record), '') as Record<string, unknown>,
  precheck: (record) => {
    const kind = getPath(record, 'event.kind');
    if (typeof kind !== 'string' || ALERT_KINDS.includes(kind)) return null;
    return failure('ALERT_NOT_AN_ALERT', 'event.kind', `event.kind is ${JSON.stringify(kind)}: only ECS documents with event.kind "alert" or "signal" are alerts`);
  },
  schema,
  eventTime: (doc) => ({ value: doc['@timestamp'], path: '@timestamp', encodings: ['iso8601', 'epoch-ms'] }),
  toDraft: (doc) => {
    // The schema's refinement guarantees a rule source.
    const rule = ruleSourceOf(doc)!;
    return {
      // For Elastic Security alerts observer.* describes the source event's observer, not the alerting product.
      source_product: rule.elastic ? 'Elastic Security' : (doc.observer?.product ?? doc.event.module),
      sensor_id: doc.observer?.name ?? doc.observer?.hostname ?? doc.agent?.name ?? doc.agent?.id,
      // Elastic alerts copy event.* from the source event, which several rules can match:
      // only the alert's own uuid identifies the alert there.
      original_id: doc.kibana?.alert?.uuid ?? (rule.elastic ? null : doc.event.id),
      rule_id: rule.id,
      rule_name: rule.name ?? rule.id,
      rule_category: rule.category,
      ...(severityOfLevelAndScore(rule.severity, rule.score ?? doc.event.severity) ?? DEFAULT_SEVERITY),
      src_ip: doc.source?.ip,
      src_port: doc.source?.port,
      dst_ip: doc.destination?.ip,
      dst_port: doc.destination?.port,
      protocol: doc.network?.transport ?? doc.network?.protocol,
      host: doc.host?.name ?? doc.host?.hostname,
      user_name: doc.user?.name,
      process: doc.process?.name ?? doc.process?.executable,
      file_hash: strongestDigest(doc.file?.hash) ?? strongestDigest(doc.process?.hash),
      domain: doc.destination?.domain ?? doc.url?.domain ?? doc.dns?.question?.name,
      url: doc.url?.full ?? doc.url?.original,
      labels: buildLabels({
        mitre_techniques: [...rule.techniques, ...techniquesOf(doc.threat)],
        event_category: doc.event.category,
        event_module: doc.event.module,
      }),
    };
  },
});
