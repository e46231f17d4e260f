import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint, normaliseFields, type FingerprintInput } from './fingerprint.ts';
import { sampleAlert } from '../testing/sample-alert.ts';

const base: FingerprintInput = sampleAlert({ tenant_id: 'acme', labels: { env: 'prod' }, source_product: null });

const fields = (...names: string[]) => {
  const list = normaliseFields(names);
  if (!list.ok) throw new Error(list.problem);
  return list.fields;
};

describe('normaliseFields', () => {
  it.each([
    [['dst_ip', 'src_ip', 'dst_ip'], ['dst_ip', 'src_ip']],
    [['rule_id', 'tenant_id', 'source_format', 'host'], ['host']],
    [['labels.env', 'host'], ['host', 'labels.env']],
    [[], []],
  ])('%j -> %j', (names, expected) => {
    expect(normaliseFields(names)).toEqual({ ok: true, fields: expected });
  });

  it.each([[['event_time']], [['id']], [['labels.']], [['src-ip']], [['raw']]])('rejects %j', (names) => {
    expect(normaliseFields(names)).toMatchObject({ ok: false, problem: expect.stringContaining('unknown fingerprint field') });
  });
});

describe('fingerprint', () => {
  const five = fields('src_ip', 'dst_ip', 'dst_port', 'protocol');

  it('is the sha256 of the documented material (a change would split every live window)', () => {
    const material = '["vigil-dedup-v1","acme","suricata","2001",[["dst_ip","10.0.0.2"],["dst_port",443],["protocol","tcp"],["src_ip","10.0.0.1"]]]';
    expect(fingerprint(base, five)).toBe(createHash('sha256').update(material).digest('hex'));
    expect(fingerprint({ ...base, dst_port: null }, five)).toBe(createHash('sha256').update(material.replace('443', 'null')).digest('hex'));
  });

  it.each<[string, Partial<FingerprintInput>, boolean]>([
    ['another source port (not a field)', { src_port: 1 }, true],
    ['another severity (not a field)', { severity: 'low' }, true],
    ['another destination port', { dst_port: 80 }, false],
    ['another tenant', { tenant_id: 'other' }, false],
    ['another rule', { rule_id: '2002' }, false],
    ['another format, same rule id', { source_format: 'wazuh' }, false],
    ['a missing source ip', { src_ip: null }, false],
    ['an empty source ip', { src_ip: '' }, false],
  ])('%s: same fingerprint = %s', (_name, change, same) => {
    expect(fingerprint({ ...base, ...change }, five) === fingerprint(base, five)).toBe(same);
  });

  it('tells missing, empty and the string "null" apart', () => {
    const one = fields('host');
    const prints = [null, '', 'null'].map((host) => fingerprint({ ...base, host }, one));
    expect(new Set(prints).size).toBe(3);
  });

  it('reads labels by name; a missing label is missing', () => {
    const byEnv = fields('labels.env');
    expect(fingerprint({ ...base, labels: { env: 'dev' } }, byEnv)).not.toBe(fingerprint(base, byEnv));
    expect(fingerprint({ ...base, labels: {} }, byEnv)).not.toBe(fingerprint({ ...base, labels: { env: '' } }, byEnv));
    expect(fingerprint({ ...base, labels: { other: 'x' } }, byEnv)).toBe(fingerprint({ ...base, labels: {} }, byEnv));
  });

  it('does not depend on the order fields are configured in', () => {
    const names = ['src_ip', 'dst_ip', 'dst_port', 'protocol', 'host', 'labels.env'];
    fc.assert(
      fc.property(fc.shuffledSubarray(names, { minLength: names.length, maxLength: names.length }), (order) => {
        expect(fingerprint(base, fields(...order))).toBe(fingerprint(base, fields(...names)));
      }),
    );
  });

  it('separates any two different values of a field, whatever they contain', () => {
    const value = fc.oneof(fc.constant(null), fc.string(), fc.constantFrom('', 'null', '"', ',', '\u0000'));
    fc.assert(
      fc.property(value, value, (a, b) => {
        fc.pre(a !== b);
        const two = fields('host', 'user_name');
        expect(fingerprint({ ...base, host: a, user_name: b }, two)).not.toBe(fingerprint({ ...base, host: b, user_name: a }, two));
      }),
    );
  });
});
