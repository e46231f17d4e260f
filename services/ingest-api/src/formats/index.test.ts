import { sourceFormats } from '@vigil/contracts';
import { describe, expect, it } from 'vitest';
import { loadFixtures } from '../../testing/formats/load-fixtures.ts';
import { mapAlert, supportedFormats } from './index.ts';

describe('mapAlert', () => {
  it('supports every source format', () => {
    expect([...supportedFormats].sort()).toEqual([...sourceFormats].sort());
  });

  describe.each(sourceFormats)('auto-detected %s fixtures', (format) => {
    it.each(loadFixtures(format).valid.map((f) => [f.name, f] as const))('maps %s as if named', (_name, fixture) => {
      expect(mapAlert('auto', fixture.input, { now: fixture.now })).toEqual({ ok: true, draft: fixture.draft });
    });
  });

  it('answers ALERT_FORMAT_UNKNOWN when auto-detection finds nothing', () => {
    expect(mapAlert('auto', { hello: 'world' }, { now: 0 })).toMatchObject({ ok: false, code: 'ALERT_FORMAT_UNKNOWN', path: '' });
  });

  it('uses the named mapper even when the content looks like another format', () => {
    const { valid } = loadFixtures('suricata');
    const result = mapAlert('vigil', valid[0]?.input, { now: valid[0]?.now ?? 0 });
    expect(result).toMatchObject({ ok: false, code: 'ALERT_SCHEMA_INVALID', path: 'rule' });
  });
});
