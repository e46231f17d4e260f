import type { Alert } from '@vigil/contracts';
import { fieldAccessor, type FieldValue } from '../fields/field-lookup.ts';
import { base64Of, base64OffsetVariants } from './base64.ts';
import { compileCidr } from './cidr.ts';
import { anyOf } from './logic.ts';
import type { Modifiers, Report } from './modifiers.ts';
import { compareTest, numericValue } from './numeric.ts';
import { compileRegex } from './regex-value.ts';
import { hasWildcards, literalTokens, parseSigmaString, wrapTokens, type SigmaToken } from './sigma-string.ts';
import { compilePattern, type StringTest } from './string-pattern.ts';

/** One rule value against the field's value (undefined when the alert lacks the field). */
export type ValueTest = (value: FieldValue | undefined, alert: Alert) => boolean;

const asText = (value: FieldValue): string => (typeof value === 'string' ? value : String(value));

const onText =
  (test: StringTest): ValueTest =>
  (value) =>
    value !== undefined && test(asText(value));

const typeName = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a map' : `a ${typeof value}`);

/** Compiles one value of a detection item under its modifiers; reports and returns undefined when it cannot. */
export function compileValue(value: unknown, modifiers: Modifiers, report: Report): ValueTest | undefined {
  const wrongType = (expected: string): undefined => void report(`"${modifiers.kind === 'compare' ? modifiers.comparison : modifiers.kind}" needs ${expected}, not ${typeName(value)}`);
  switch (modifiers.kind) {
    case 'exists':
      return typeof value === 'boolean' ? (found) => (found !== undefined) === value : wrongType('true or false');
    case 'compare': {
      const bound = typeof value === 'number' ? value : typeof value === 'string' ? numericValue(value) : undefined;
      if (bound === undefined || !Number.isFinite(bound)) return wrongType('a number');
      const test = compareTest(modifiers.comparison ?? 'gt', bound);
      return (found) => found !== undefined && test(found);
    }
    case 're': {
      if (typeof value !== 'string') return wrongType('a string');
      const regex = compileRegex(value, modifiers.regexFlags);
      if (typeof regex === 'string') return void report(regex);
      return onText((text) => regex.test(text));
    }
    case 'cidr': {
      if (typeof value !== 'string') return wrongType('a string');
      const cidr = compileCidr(value.trim());
      if (typeof cidr === 'string') return void report(cidr);
      return (found) => typeof found === 'string' && cidr(found);
    }
    case 'fieldref':
      if (typeof value !== 'string' || value === '') return wrongType('a field name');
      if (/[*?]/.test(value)) return void report(`"fieldref" names one field; "${value}" has a wildcard, which a field name cannot have`);
      return fieldRefTest(value, modifiers.cased);
    case 'plain':
      return plainTest(value, modifiers, report, wrongType);
  }
}

function plainTest(value: unknown, modifiers: Modifiers, report: Report, wrongType: (expected: string) => undefined): ValueTest | undefined {
  const transformed = modifiers.match !== 'equals' || modifiers.encoding !== undefined || modifiers.windash;
  if (value === null) {
    // `null` asks whether the field is missing; wildcards or encodings of nothing mean nothing.
    return transformed || modifiers.cased ? void report('null cannot take modifiers other than "neq"') : (found) => found === undefined || found === '';
  }
  // A number compares by value with numbers and numeric strings, so `EventID: 4624` matches the label '4624'.
  if (typeof value === 'number' && !transformed) return (found) => found !== undefined && numericValue(found) === value;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return wrongType('a string, number, true, false or null');

  const tokens = parseSigmaString(String(value));
  const variants = modifiers.encoding === undefined ? [tokens] : encodedVariants(tokens, modifiers, report);
  if (variants === undefined) return undefined;
  // Base64 text is case-significant: ignoring case would match unrelated encodings.
  const caseSensitive = modifiers.cased || modifiers.encoding !== undefined;
  const start = modifiers.match === 'contains' || modifiers.match === 'endswith';
  const end = modifiers.match === 'contains' || modifiers.match === 'startswith';
  const tests = variants.map((variant) => compilePattern(wrapTokens(variant, start, end), { caseSensitive, windash: modifiers.windash }));
  return onText(anyOf(tests));
}

function encodedVariants(tokens: readonly SigmaToken[], { encoding, textEncoding }: Modifiers, report: Report): SigmaToken[][] | undefined {
  if (hasWildcards(tokens)) return void report(`wildcards cannot be ${encoding}-encoded; escape them (\\* \\?) if they are meant literally`);
  const plain = tokens.map((token) => (token.kind === 'text' ? token.text : '')).join('');
  if (encoding === 'base64') return [literalTokens(base64Of(plain, textEncoding))];
  const variants = base64OffsetVariants(plain, textEncoding);
  // A fragment of nothing would match every field.
  if (variants.some((variant) => variant === '')) return void report('value is too short for "base64offset" (it needs at least 2 bytes)');
  return variants.map(literalTokens);
}

function fieldRefTest(name: string, cased: boolean): ValueTest {
  const other = fieldAccessor(name);
  return (found, alert) => {
    const reference = other(alert);
    if (found === undefined || reference === undefined) return false;
    if (typeof found === 'number' && typeof reference === 'number') return found === reference;
    const a = asText(found);
    const b = asText(reference);
    return a === b || (!cased && a.toLowerCase() === b.toLowerCase());
  };
}
