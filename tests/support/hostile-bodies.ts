import fc from 'fast-check';

/**
 * Arbitraries of hostile request bodies for the gateway. Bodies are raw JSON text, not
 * objects: JSON.stringify can spell neither `1e400`, `-0` nor a `__proto__` key, and
 * those are exactly the spellings a parser must survive.
 */

export interface HostileRequest {
  readonly path: string;
  readonly contentType: string | null;
  readonly body: string;
  readonly idempotencyKey?: string;
}

export const endpoints = ['/v1/alerts', '/v1/alerts/batch'] as const;

const formatQueries = ['', '', '', '?format=vigil', '?format=suricata', '?format=auto', '?format=zeek', '?format=ecs', '?format=wazuh', '?format=ocsf', '?format=nope', '?format=', '?format=vigil&format=ecs', '?format[x]=1', '?format=%00'];

export const path = fc.tuple(fc.constantFrom(...endpoints), fc.constantFrom(...formatQueries)).map(([p, q]) => p + q);

const nastyStrings = ['', ' ', '\u0000', 'a\u0000b', '\u202e', 'evil\u202etxt.exe', '\u2066rtl\u2069', '\ufeff', '\ud800', '\udfff', '\u200b', '𝕍𝕚𝕘𝕚𝕝', '../../etc/passwd', '${jndi:ldap://x}', '<script>', 'NaN', 'Infinity', 'null', 'true', '[]', '{}'];

const badTimestamps = ['2025-02-30T00:00:00Z', '2025-13-01T00:00:00Z', '2025-01-01T24:00:00Z', '2025-01-01', '01/02/2025 10:00', 'Mar 14 12:00:00', '2025-01-01T00:00:00', '2025-01-01T00:00:00+25:00', '+275760-09-13T00:00:00Z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2025-01-01T00:00:00.1234567890123Z', 'now', ''];

/** Number spellings that are valid JSON but hostile: overflow, -0, precision loss, exponents. */
const numberLiterals = ['1e400', '-1e400', '-0', '0.0', '1E+2', '1e-400', '123456789012345678901234567890', '9007199254740993', '-9007199254740993', '1.7976931348623157e308', '5e-324', '0.1', '65536', '65535', '-1', '1741953600.123456', '8.64e15', '8.64e15', '1e21', '4294967296'];

const rawString = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 3, arbitrary: fc.constantFrom(...nastyStrings, ...badTimestamps) },
  { weight: 1, arbitrary: fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toISOString()) },
  { weight: 1, arbitrary: fc.constant(new Date().toISOString()) },
).map((s) => JSON.stringify(s));

const rawNumber = fc.oneof(
  fc.constantFrom(...numberLiterals),
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
  fc.constant(String(Date.now())),
);

const rawScalar = fc.oneof(rawString, rawNumber, fc.constantFrom('true', 'false', 'null'));

const dangerousKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'tenant_id', 'tenant', 'rule', 'rule.id', 'severity', 'event_time', 'alert', '\u0000', '\u202e', '__proto__.polluted', 'constructor.prototype'];

const rawKey = fc.oneof(fc.constantFrom(...dangerousKeys).map((k) => JSON.stringify(k)), fc.string({ unit: 'binary', maxLength: 12 }).map((k) => JSON.stringify(k)));

/** Arbitrary JSON text with hostile keys and literals, a few levels deep. */
export const rawJson: fc.Arbitrary<string> = fc.letrec<{ value: string; array: string; object: string }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, rawScalar, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 5 }).map((items) => `[${items.join(',')}]`),
  object: fc.array(fc.tuple(rawKey, tie('value')), { maxLength: 6 }).map((pairs) => `{${pairs.map(([k, v]) => `${k}:${v}`).join(',')}}`),
})).value;

const fieldValue = fc.oneof({ weight: 3, arbitrary: rawScalar }, { weight: 1, arbitrary: rawJson });
const extraPairs = fc.array(fc.tuple(rawKey, fieldValue), { maxLength: 2 }).map((pairs) => pairs.map(([k, v]) => `,${k}:${v}`).join(''));
/** Mostly sane, so a record often has exactly one bad field and that field's check is reached. */
const saneOr = (sane: string | null | fc.Arbitrary<string>) =>
  fc.oneof({ weight: 3, arbitrary: typeof sane === 'string' || sane === null ? fc.constant(sane) : sane }, { weight: 1, arbitrary: fieldValue });
const now = () => JSON.stringify(new Date().toISOString());

/** A Vigil alert whose fields are each either sane or hostile, plus hostile extra keys. */
export const vigilShaped = fc
  .record({
    // A fresh sensor id each time: a repeated one would make most runs idempotent replays.
    id: saneOr(fc.uuid().map((u) => JSON.stringify(u))),
    ruleId: saneOr('"r-1"'),
    ruleName: saneOr('"Rule"'),
    severity: saneOr('"high"'),
    eventTime: saneOr(null),
    srcIp: saneOr('"10.0.0.1"'),
    srcPort: saneOr('443'),
    labels: saneOr('{"env":"fuzz"}'),
    extra: extraPairs,
  })
  .map(
    (f) =>
      `{"id":${f.id},"rule":{"id":${f.ruleId},"name":${f.ruleName}},"severity":${f.severity},"event_time":${f.eventTime ?? now()},` +
      `"observables":{"src_ip":${f.srcIp},"src_port":${f.srcPort}},"labels":${f.labels}${f.extra}}`,
  );

/** A Suricata EVE alert, the same way. */
export const suricataShaped = fc
  .record({
    timestamp: saneOr(null),
    eventType: saneOr('"alert"'),
    srcIp: saneOr('"198.51.100.1"'),
    destPort: saneOr('22'),
    sid: saneOr('2001219'),
    signature: saneOr('"ET SCAN"'),
    severity: saneOr('2'),
    extra: extraPairs,
  })
  .map(
    (f) =>
      `{"timestamp":${f.timestamp ?? now()},"event_type":${f.eventType},"src_ip":${f.srcIp},"dest_ip":"10.0.0.5","dest_port":${f.destPort},"proto":"TCP",` +
      `"alert":{"signature_id":${f.sid},"signature":${f.signature},"severity":${f.severity}}${f.extra}}`,
  );

export const shapedRecord = fc.oneof(vigilShaped, suricataShaped);

/** JSON bodies for either endpoint: a record, or an array of them for batches. */
export function recordBody(record: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(record, fc.array(record, { minLength: 0, maxLength: 4 }).map((items) => `[${items.join(',')}]`));
}

/** A string field of `size` characters: short, around the body cap, and past it. */
export function hugeStringBody(bodyLimit: number): fc.Arbitrary<string> {
  const size = fc.oneof(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: bodyLimit - 300, max: bodyLimit + 300 }), fc.integer({ min: 20_000, max: Math.ceil(bodyLimit * 1.2) }));
  const unit = fc.constantFrom('a', 'é', '\\u0000', '\\u202e', '\\ud800', '𝕍');
  const where = fc.constantFrom('name', 'time', 'key', 'label', 'ndjson');
  return fc.tuple(size, unit, where).map(([n, u, w]) => {
    const big = u.repeat(Math.max(1, Math.floor(n / Buffer.byteLength(u))));
    const t = now();
    switch (w) {
      case 'name':
        return `{"rule":{"id":"r","name":"${big}"},"severity":"low","event_time":${t}}`;
      case 'time':
        return `{"rule":{"id":"r","name":"n"},"severity":"low","event_time":"${big}"}`;
      case 'key':
        return `{"rule":{"id":"r","name":"n"},"severity":"low","event_time":${t},"${big}":1}`;
      case 'label':
        return `[{"rule":{"id":"r","name":"n"},"severity":"low","event_time":${t},"labels":{"k":"${big}"}}]`;
      default:
        return `{"rule":{"id":"r","name":"n"},"severity":"low","event_time":${t}}\n{"x":"${big}"}`;
    }
  });
}

/** Nesting from just under the depth cap to hundreds of thousands of levels. */
export const deepBody = fc
  .tuple(
    fc.oneof(fc.integer({ min: 28, max: 40 }), fc.integer({ min: 40, max: 5000 }), fc.constantFrom(100_000, 150_000, 250_000)),
    fc.constantFrom('array', 'object'),
    fc.constantFrom('top', 'label', 'batch', 'ndjson'),
  )
  .map(([depth, kind, where]) => {
    const [open, close] = kind === 'array' ? ['[', ']'] : ['{"a":', '}'];
    const deep = `${open.repeat(depth)}1${close.repeat(depth)}`;
    const alert = (labels: string) => `{"rule":{"id":"r","name":"n"},"severity":"low","event_time":${now()},"labels":${labels}}`;
    switch (where) {
      case 'top':
        return deep;
      case 'label':
        return alert(deep);
      case 'batch':
        return `[${alert('{}')},${deep}]`;
      default:
        return `${alert('{}')}\n${deep}\n${alert(deep)}`;
    }
  });

/** NDJSON with valid lines, garbage, blank lines, CRs and hostile records mixed. */
export const ndjsonBody = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: shapedRecord },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }).map((s) => s.replace(/\n/g, ' ')) },
      { weight: 2, arbitrary: rawJson },
      { weight: 1, arbitrary: fc.constantFrom('', ' ', '\r', '{', ']', '{"a":1}{"b":2}', '\u0000', '\ufeff{"rule":1}', 'null', '[]', '"just a string"') },
    ),
    { minLength: 0, maxLength: 12 },
  )
  .chain((lines) => fc.constantFrom('\n', '\r\n').map((sep) => lines.join(sep)));

const headerSafe = (s: string) => s.replace(/[^\x20-\x7e]/g, '');

export const contentType: fc.Arbitrary<string | null> = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  { weight: 2, arbitrary: fc.constant('application/x-ndjson') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      null,
      '',
      'text/plain',
      'text/plain; charset=utf-8',
      'application/xml',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'APPLICATION/JSON',
      'application/json;;',
      'application/jsonx',
      'application/vnd.api+json',
      'application/x-ndjson; charset=utf-8',
      '*/*',
      'json',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map(headerSafe) },
);

export const idempotencyKey = fc.option(fc.oneof(fc.string({ maxLength: 140 }).map(headerSafe), fc.uuid()), { nil: undefined, freq: 4 });

const oddText = fc
  .oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 80 }), fc.constantFrom('\u202eexe.txt', '𝕍𝕚𝕘𝕚𝕝', 'a\u200bb', '\ud800x', '\u2066x\u2069', 'x'.repeat(512), '${jndi:ldap://x/a}'))
  .filter((s) => !s.includes('\u0000') && s.trim() !== '');

/**
 * Valid Vigil alerts with odd but legal content (bidi text, lone surrogates, astral
 * characters, boundary ports, IPv6, fractional scores, maximal labels): they pass the
 * mapper and really travel through Avro encoding and Kafka.
 */
export const oddButValidVigil = fc
  .record({
    id: fc.uuid(),
    rule: fc.record({ id: oddText, name: oddText, category: oddText }, { requiredKeys: ['id', 'name'] }),
    severity: fc.oneof(fc.constantFrom('info', 'low', 'medium', 'high', 'critical'), fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 100, noNaN: true })),
    age: fc.integer({ min: 0, max: 29 * 86_400_000 }),
    iso: fc.boolean(),
    observables: fc.record(
      { src_ip: fc.oneof(fc.ipV4(), fc.ipV6()), dst_ip: fc.ipV4(), src_port: fc.integer({ min: 0, max: 65535 }), dst_port: fc.constantFrom(0, 1, 65535), host: oddText, user: oddText, url: oddText },
      { requiredKeys: [] },
    ),
    labels: fc.dictionary(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 64 }).filter((k) => k.trim() !== ''), oddText.map((v) => v.slice(0, 256)), { maxKeys: 32 }),
  })
  .map(({ age, iso, ...alert }) => {
    const at = Date.now() - age;
    return JSON.stringify({ ...alert, event_time: iso ? new Date(at).toISOString() : at });
  });
