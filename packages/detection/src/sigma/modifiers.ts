/**
 * The `Field|mod|mod` key of a detection item, read into what the value compiler needs. The
 * order of modifiers does not change their meaning here (windash, then the encoding, then the
 * contains/startswith/endswith wildcards are always applied in that order), except that the
 * regular-expression flags `i`, `m`, `s` must follow `re`, as in the specification.
 */
import type { TextEncoding } from './base64.ts';

export type MatchMode = 'equals' | 'contains' | 'startswith' | 'endswith';
export type Comparison = 'gt' | 'gte' | 'lt' | 'lte';
export type ValueKind = 'plain' | 're' | 'cidr' | 'exists' | 'compare' | 'fieldref';

export interface Modifiers {
  readonly field: string;
  readonly kind: ValueKind;
  readonly match: MatchMode;
  /** The values of a list must all match (AND) instead of any (OR). */
  readonly all: boolean;
  readonly cased: boolean;
  readonly windash: boolean;
  /** The field must be present and differ from every value. */
  readonly neq: boolean;
  readonly encoding: 'base64' | 'base64offset' | undefined;
  /** The bytes the encoding is taken of: UTF-8, or UTF-16 from `utf16le`/`wide`, `utf16be`, `utf16`. */
  readonly textEncoding: TextEncoding;
  /** RegExp flags from `re|i`, `re|m`, `re|s`. */
  readonly regexFlags: string;
  readonly comparison: Comparison | undefined;
}

export type Report = (message: string, feature?: string) => void;

/** Modifiers of the specification Vigil does not implement, and why (shown to the rule's author). */
const unsupported: Readonly<Record<string, string>> = {
  expand: 'placeholders need a per-deployment value list, which Vigil does not have; replace the placeholder with the values',
  minute: 'time-part modifiers depend on a time zone the rule does not state',
  hour: 'time-part modifiers depend on a time zone the rule does not state',
  day: 'time-part modifiers depend on a time zone the rule does not state',
  week: 'time-part modifiers depend on a time zone the rule does not state',
  month: 'time-part modifiers depend on a time zone the rule does not state',
  year: 'time-part modifiers depend on a time zone the rule does not state',
};

/** `wide` is the specification's alias of `utf16le`. */
const textEncodings: Readonly<Record<string, TextEncoding>> = { utf16le: 'utf16le', wide: 'utf16le', utf16be: 'utf16be', utf16: 'utf16' };
const matchModes: ReadonlySet<string> = new Set(['contains', 'startswith', 'endswith']);
const comparisons: ReadonlySet<string> = new Set(['gt', 'gte', 'lt', 'lte']);
/** The `re` sub-modifiers, with the long names pySigma also accepts. */
const regexFlagOf: Readonly<Record<string, string>> = { i: 'i', ignorecase: 'i', m: 'm', multiline: 'm', s: 's', dotall: 's' };
const regexFlagNames: ReadonlySet<string> = new Set(Object.keys(regexFlagOf));
const known: ReadonlySet<string> = new Set([
  ...matchModes, ...comparisons, ...regexFlagNames,
  ...Object.keys(textEncodings),
  'all', 'cased', 'windash', 'neq', 'base64', 'base64offset', 're', 'cidr', 'exists', 'fieldref',
]);
const kindModifiers: ReadonlySet<string> = new Set(['re', 'cidr', 'exists', 'fieldref', ...comparisons]);

/** Which modifiers may accompany each kind of value; anything else is a contradiction. */
const companions: Readonly<Record<ValueKind, ReadonlySet<string>>> = {
  plain: new Set(['all', 'cased', 'windash', 'neq', 'base64', 'base64offset', ...matchModes, ...Object.keys(textEncodings)]),
  re: new Set(['all', ...regexFlagNames]),
  cidr: new Set(['all']),
  exists: new Set(),
  compare: new Set(['all']),
  fieldref: new Set(['cased', 'neq']),
};

export function parseModifiers(key: string, report: Report): Modifiers | undefined {
  const [field = '', ...names] = key.split('|');
  let ok = true;
  const fail = (message: string, feature?: string): void => {
    report(message, feature);
    ok = false;
  };
  const seen = new Set<string>();
  for (const [index, name] of names.entries()) {
    if (name === '') fail(`empty modifier in "${key}"`);
    else if (unsupported[name] !== undefined) fail(`modifier "${name}" is not supported: ${unsupported[name]}`, `modifier ${name}`);
    else if (!known.has(name)) fail(`unknown modifier "${name}"`, `modifier ${name}`);
    else if (seen.has(name)) fail(`modifier "${name}" is given twice`);
    else if (regexFlagNames.has(name) && !names.slice(0, index).includes('re')) fail(`modifier "${name}" is a flag of "re" and must follow it`);
    seen.add(name);
  }
  if (!ok) return undefined;

  const kinds = names.filter((name) => kindModifiers.has(name));
  if (kinds.length > 1) return void fail(`modifiers ${kinds.map((k) => `"${k}"`).join(' and ')} cannot be combined`);
  const kindName = kinds[0];
  const kind: ValueKind = kindName === undefined ? 'plain' : comparisons.has(kindName) ? 'compare' : (kindName as ValueKind);
  const misfits = names.filter((name) => name !== kindName && !companions[kind].has(name));
  if (misfits.length > 0) return void fail(`modifier${misfits.length > 1 ? 's' : ''} ${misfits.map((m) => `"${m}"`).join(', ')} cannot be used with "${kindName ?? 'a plain value'}"`);

  const modes = names.filter((name) => matchModes.has(name));
  if (modes.length > 1) return void fail(`modifiers ${modes.map((m) => `"${m}"`).join(' and ')} contradict each other`);
  const encodings = names.filter((name) => name === 'base64' || name === 'base64offset');
  if (encodings.length > 1) return void fail('modifiers "base64" and "base64offset" cannot be combined');
  const encoding = encodings[0] as Modifiers['encoding'];
  const match = (modes[0] ?? 'equals') as MatchMode;
  // The three offset variants are fragments of an encoding: only a substring search can find them.
  const utf16 = names.filter((name) => textEncodings[name] !== undefined);
  if (utf16.length > 1) return void fail(`modifiers ${utf16.map((m) => `"${m}"`).join(' and ')} cannot be combined`);
  // Alerts carry decoded text: UTF-16 bytes can only be looked for inside a Base64 encoding.
  if (utf16[0] !== undefined && encoding === undefined) return void fail(`modifier "${utf16[0]}" needs "base64" or "base64offset": alerts carry decoded text, so a UTF-16 byte pattern can only occur Base64-encoded`, `modifier ${utf16[0]} without base64`);
  if (encoding === 'base64offset' && match !== 'contains') return void fail('modifier "base64offset" needs "contains"');
  if (encoding !== undefined && seen.has('windash')) return void fail('modifier "windash" cannot be combined with an encoding', 'modifier windash with base64');
  if (seen.has('neq') && seen.has('all')) return void fail('modifier "neq" already requires the field to differ from every value; drop "all"');

  return {
    field,
    kind,
    match,
    all: seen.has('all'),
    cased: seen.has('cased'),
    windash: seen.has('windash'),
    neq: seen.has('neq'),
    encoding,
    textEncoding: utf16[0] === undefined ? 'utf8' : textEncodings[utf16[0]]!,
    regexFlags: [...new Set(names.filter((name) => regexFlagNames.has(name)).map((name) => regexFlagOf[name]!))].join(''),
    comparison: kind === 'compare' ? (kindName as Comparison) : undefined,
  };
}
