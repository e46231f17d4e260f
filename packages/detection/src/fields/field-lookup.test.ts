import { sampleAlert } from '@vigil/contracts/testing';
import { describe, expect, it } from 'vitest';
import { alertFieldNames } from './alert-fields.ts';
import { someAlertText } from './alert-text.ts';
import { fieldAccessor, lookupField } from './field-lookup.ts';
import { aliasedField, sigmaFieldAliases } from './field-mappings.ts';

describe('lookupField order', () => {
  const alert = sampleAlert({
    src_ip: '10.0.0.1',
    user_name: 'alice',
    labels: { src_ip: 'label-wins?', SourceIp: '192.0.2.9', Image: '', CommandLine: 'whoami /all', constructor: 'x' },
  });

  it.each([
    ['own field beats a label of the same name', 'src_ip', '10.0.0.1'],
    ['label beats the mapping', 'SourceIp', '192.0.2.9'],
    ['mapping when there is no label', 'User', 'alice'],
    ['mapping when the label is empty', 'Image', undefined],
    ['explicit labels.<name>', 'labels.CommandLine', 'whoami /all'],
    ['explicit labels.<name> does not fall back to the own field', 'labels.user_name', undefined],
    ['plain label', 'CommandLine', 'whoami /all'],
    ['own-looking label key via labels.', 'labels.src_ip', 'label-wins?'],
    ['null own field is undefined', 'host', undefined],
    ['missing everywhere', 'NoSuchField', undefined],
    ['names are case-sensitive', 'sourceip', undefined],
    ['own numeric field', 'severity_score', 75],
    ['a label named like an Object.prototype key that is set', 'constructor', 'x'],
    ['an inherited Object.prototype key is not a label', 'toString', undefined],
  ])('%s', (_, name, expected) => {
    expect(lookupField(alert, name)).toBe(expected);
    expect(fieldAccessor(name)(alert)).toBe(expected);
  });

  it('an empty own string is a value, not absent', () => {
    expect(lookupField(sampleAlert({ process: '' }), 'process.name')).toBe('');
  });

  it('every own field is reachable by its own name', () => {
    const alert = sampleAlert({ host: 'h' });
    for (const name of alertFieldNames) expect(lookupField(alert, name)).toBe(alert[name] ?? undefined);
  });
});

describe('alias table', () => {
  it('has no alias listed for two fields and none shadowing an own field', () => {
    const seen = new Set<string>();
    for (const aliases of Object.values(sigmaFieldAliases)) {
      for (const alias of aliases ?? []) {
        expect(seen.has(alias), alias).toBe(false);
        expect(alertFieldNames.includes(alias as never), alias).toBe(false);
        seen.add(alias);
      }
    }
  });

  it.each([
    ['DestinationIp', 'dst_ip'],
    ['destination.port', 'dst_port'],
    ['TargetUserName', 'user_name'],
    ['Computer', 'host'],
    ['Hashes', 'file_hash'],
    ['QueryName', 'domain'],
    ['c-uri', 'url'],
    ['network.transport', 'protocol'],
    ['rule.name', 'rule_name'],
    ['event.severity', 'severity_score'],
  ])('%s → %s', (alias, field) => expect(aliasedField(alias)).toBe(field));
});

describe('someAlertText', () => {
  it('looks at string fields, label values and raw, but not ids or the fingerprint', () => {
    const alert = sampleAlert({ id: 'id-needle', fingerprint: 'fp-needle', host: 'web-1', labels: { k: 'label-val' }, raw: '{"a":"raw-val"}' });
    const has = (needle: string): boolean => someAlertText(alert, (text) => text.includes(needle));
    expect([has('web-1'), has('label-val'), has('raw-val'), has('id-needle'), has('fp-needle'), has('acme')]).toEqual([true, true, true, false, false, false]);
  });
});
