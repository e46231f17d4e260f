import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { optionalText, requiredText } from './fields.ts';
import { schemaFailure } from './schema-failure.ts';
import { array, literal, object, oneOf, refine, unknown } from './shape.ts';

const evidence = object({ ip: optionalText(), kind: oneOf(['src', 'dst']).nullish() });
const record = object({
  class: literal(2004),
  rule: object({ name: requiredText(), extra: unknown() }),
  evidences: array(evidence).nullish(),
});

const failureOf = (value: unknown) => {
  const result = record.check(value);
  return result.ok ? null : schemaFailure(result);
};

describe('record shapes', () => {
  it('keeps only the listed keys, with their checked values', () => {
    const result = record.check({ class: 2004, rule: { name: ' r ', other: 1 }, evidences: [{ ip: '10.0.0.1', kind: 'src', x: 2 }], junk: true });
    expect(result).toEqual({ ok: true, value: { class: 2004, rule: { name: 'r' }, evidences: [{ ip: '10.0.0.1', kind: 'src' }] } });
  });

  it('reports the first failing key in listed order, with its full path', () => {
    expect(failureOf({ class: 2004, rule: { name: 'r' }, evidences: [{}, { kind: 'up' }] })).toMatchObject({ path: 'evidences[1].kind', message: 'evidences[1].kind must be one of "src", "dst"' });
    expect(failureOf({ class: 1, rule: {} })).toMatchObject({ path: 'class', message: 'class must be 2004' });
    expect(failureOf({ class: 2004 })).toMatchObject({ path: 'rule', message: 'rule is required' });
    expect(failureOf({ class: 2004, rule: [] })).toMatchObject({ path: 'rule', message: 'rule must be an object (got array)' });
    expect(failureOf({ class: 2004, rule: { name: 'r' }, evidences: {} })).toMatchObject({ message: 'evidences must be an array (got object)' });
    expect(failureOf('x')).toMatchObject({ path: '', message: 'the alert must be an object (got string)' });
  });

  it('accepts null and a missing key where nullish, and nothing else', () => {
    expect(record.check({ class: 2004, rule: { name: 'r' }, evidences: null }).ok).toBe(true);
    expect(record.check({ class: 2004, rule: { name: 'r' } }).ok).toBe(true);
    expect(record.check({ class: 2004, rule: null }).ok).toBe(false);
  });

  it('never reads inherited members as keys', () => {
    const shape = object({ toString: optionalText(), constructor: optionalText() });
    // Read as missing (null), not as Object.prototype's functions ("must be a string").
    expect(shape.check({})).toEqual({ ok: true, value: { toString: null, constructor: null } });
    expect(shape.check(JSON.parse('{"__proto__": {"toString": 5}}'))).toEqual({ ok: true, value: { toString: null, constructor: null } });
  });

  it('runs transforms and refinements only on valid values', () => {
    const lower = optionalText().transform((s) => s?.toLowerCase() ?? null);
    expect(lower.check('TCP')).toEqual({ ok: true, value: 'tcp' });
    expect(lower.check(5).ok).toBe(false);
    const both = refine(object({ a: optionalText(), b: optionalText() }), (v) => (v.a || v.b ? null : { path: ['a'], message: 'or b is required' }));
    expect(both.check({ b: 'x' }).ok).toBe(true);
    expect(both.check({})).toEqual({ ok: false, path: ['a'], message: 'or b is required' });
  });

  it('never throws, whatever JSON it is given', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => typeof record.check(value).ok === 'boolean'));
  });
});
