import { array, field, type Infer, literal, object, unknown } from './shape.ts';
import { defineMapper } from './define-mapper.ts';
import { accept, checkFileHash, lowerText, MAX_RULE_NAME, nullishObject, optionalId, optionalText, reject, requiredText, stringList, type Check } from './fields.ts';
import { buildLabels } from './labels.ts';
import { failure } from './map-result.ts';
import { ip, port } from './network-fields.ts';
import { severityOfScore, type SeverityValue } from './severity.ts';
import { isPlainObject, jsonTypeOf } from './value-type.ts';

export const DETECTION_FINDING = 2004;

/** OCSF severity_id → score. Unknown (0) and Other (99) say nothing, so they take the default band. */
const severityScores: Readonly<Record<number, number>> = { 0: 50, 1: 10, 2: 30, 3: 50, 4: 75, 5: 95, 6: 100, 99: 50 };

export function ocsfSeverity(severityId: number): SeverityValue {
  return severityOfScore(severityScores[severityId] ?? 50);
}

function checkSeverityId(value: unknown): Check<number> {
  if (value === undefined || value === null) return reject('is required');
  if (typeof value === 'number' && severityScores[value] !== undefined) return accept(value);
  const got = typeof value === 'number' ? String(value) : jsonTypeOf(value);
  return reject(`must be one of 0-6 or 99 (got ${got})`);
}

/** Preference among OCSF fingerprint algorithm_ids: SHA-256 (3), SHA-1 (2), MD5 (1), SHA-512 (4). */
const HASH_PREFERENCE: readonly unknown[] = [3, 2, 1, 4];

/**
 * Picks the preferred digest from an OCSF fingerprint list. Fuzzy hashes (ssdeep, TLSH) are
 * skipped rather than validated as hex: they are legitimate, just not a Vigil file_hash.
 */
function checkFingerprints(value: unknown): Check<string | null> {
  if (value === undefined || value === null) return accept(null);
  if (!Array.isArray(value)) return reject(`must be an array of fingerprints (got ${jsonTypeOf(value)})`);
  let best: { rank: number; hash: string } | null = null;
  for (const [index, fingerprint] of value.entries()) {
    if (!isPlainObject(fingerprint)) return reject(`must be an object (got ${jsonTypeOf(fingerprint)})`, [index]);
    const rank = HASH_PREFERENCE.indexOf(fingerprint['algorithm_id']);
    if (rank < 0) continue;
    const hash = checkFileHash(fingerprint['value']);
    if (!hash.ok) return reject(hash.message, [index, 'value']);
    if (hash.value !== null && (best === null || rank < best.rank)) best = { rank, hash: hash.value };
  }
  return accept(best?.hash ?? null);
}

const hashes = () => nullishObject({ hashes: field(checkFingerprints) });
const named = () => nullishObject({ name: optionalText() });
const endpoint = nullishObject({ ip: ip(), port: port(), hostname: optionalText(), domain: optionalText() });
const attacks = array(object({ technique: nullishObject({ uid: optionalText() }), sub_technique: nullishObject({ uid: optionalText() }) }))
  .nullish();

const evidence = object({
  src_endpoint: endpoint,
  dst_endpoint: endpoint,
  connection_info: nullishObject({ protocol_name: lowerText() }),
  actor: nullishObject({ user: named(), process: named() }),
  user: named(),
  process: nullishObject({ name: optionalText(), file: hashes() }),
  file: hashes(),
  url: nullishObject({ url_string: optionalText() }),
  query: nullishObject({ hostname: optionalText() }),
});

const schema = object({
  class_uid: literal(DETECTION_FINDING),
  time: unknown(),
  severity_id: field(checkSeverityId),
  finding_info: object({
    uid: requiredText(),
    title: requiredText(MAX_RULE_NAME),
    types: stringList(),
    analytic: nullishObject({ uid: optionalId(), name: optionalText(), category: optionalText() }),
    attacks,
  }),
  // OCSF 1.1 put attacks on the finding itself; 1.3 moved them into finding_info.
  attacks,
  metadata: object({ product: nullishObject({ name: optionalText() }) }),
  cloud: nullishObject({ provider: optionalText(), region: optionalText(), account: nullishObject({ uid: optionalId() }) }),
  device: nullishObject({ hostname: optionalText(), name: optionalText() }),
  resources: array(object({ uid: optionalText(), name: optionalText() })).nullish(),
  evidences: array(evidence).nullish(),
});

type Evidence = Infer<typeof evidence>;

/** First non-null value across the evidences: detectors spread artefacts over several entries. */
function fromEvidences<T>(evidences: readonly Evidence[], pick: (e: Evidence) => T | null | undefined): T | null {
  for (const e of evidences) {
    const value = pick(e);
    if (value !== null && value !== undefined) return value;
  }
  return null;
}

/** OCSF Detection Findings (class_uid 2004), e.g. from AWS Security Lake or an EDR's OCSF export. */
export const mapOcsf = defineMapper({
  format: 'ocsf',
  precheck: (record) => {
    const classUid = record['class_uid'];
    if (typeof classUid !== 'number' || classUid === DETECTION_FINDING) return null;
    return failure('ALERT_NOT_AN_ALERT', 'class_uid', `class_uid is ${classUid}: only Detection Findings (class_uid ${DETECTION_FINDING}) are alerts`);
  },
  schema,
  eventTime: (f) => ({ value: f.time, path: 'time', encodings: ['epoch-any-unit'] }),
  toDraft: (f) => {
    const evidences = f.evidences ?? [];
    // Source and destination come from one evidence so a port is never paired with another entry's address.
    const network = evidences.find((e) => e.src_endpoint || e.dst_endpoint);
    const info = f.finding_info;
    const attackList = [...(info.attacks ?? []), ...(f.attacks ?? [])];
    return {
      source_product: f.metadata.product?.name,
      original_id: info.uid,
      // The analytic (rule) is stable across findings; the title often names the instance.
      rule_id: info.analytic?.uid ?? info.analytic?.name ?? info.types[0] ?? info.title,
      rule_name: info.title,
      rule_category: info.analytic?.category ?? info.types[0],
      ...ocsfSeverity(f.severity_id),
      src_ip: network?.src_endpoint?.ip,
      src_port: network?.src_endpoint?.port,
      dst_ip: network?.dst_endpoint?.ip,
      dst_port: network?.dst_endpoint?.port,
      protocol: fromEvidences(evidences, (e) => e.connection_info?.protocol_name),
      host: f.device?.hostname ?? f.device?.name ?? f.resources?.[0]?.name ?? f.resources?.[0]?.uid,
      user_name: fromEvidences(evidences, (e) => e.actor?.user?.name ?? e.user?.name),
      process: fromEvidences(evidences, (e) => e.process?.name ?? e.actor?.process?.name),
      file_hash: fromEvidences(evidences, (e) => e.file?.hashes ?? e.process?.file?.hashes),
      domain: fromEvidences(evidences, (e) => e.query?.hostname ?? e.dst_endpoint?.domain ?? e.dst_endpoint?.hostname),
      url: fromEvidences(evidences, (e) => e.url?.url_string),
      labels: buildLabels({
        mitre_techniques: attackList.flatMap((a) => [a.technique?.uid, a.sub_technique?.uid]).filter((id): id is string => typeof id === 'string'),
        cloud_provider: f.cloud?.provider,
        cloud_region: f.cloud?.region,
        cloud_account: f.cloud?.account?.uid,
      }),
    };
  },
});
