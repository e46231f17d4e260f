import { sourceFormats } from '@vigil/contracts';
import { describe, expect, it } from 'vitest';
import { loadFixtures } from '../../testing/formats/load-fixtures.ts';
import { detectFormat } from './detect.ts';

describe('detectFormat', () => {
  describe.each(sourceFormats)('%s fixtures', (format) => {
    it.each(loadFixtures(format).valid.map((f) => [f.name, f.input] as const))('detects %s', (_name, input) => {
      expect(detectFormat(input)).toBe(format);
    });
  });

  it.each([
    ['a Suricata flow event', { event_type: 'flow', flow_id: 1, src_ip: '10.0.0.1', timestamp: '2025-03-14T00:00:00Z' }, 'suricata'],
    ['a Zeek conn record', { _path: 'conn', ts: 1741953909.3, uid: 'C1', 'id.orig_h': '10.0.0.1' }, 'zeek'],
    ['a Zeek record with nested id', { ts: 1741953909.3, id: { orig_h: '10.0.0.1' } }, 'zeek'],
    ['an ECS event', { '@timestamp': '2025-03-14T00:00:00Z', 'event.kind': 'event' }, 'ecs'],
    ['an OCSF authentication event', { class_uid: 3002, category_uid: 3, metadata: {} }, 'ocsf'],
    ['a Wazuh alert read back with @timestamp', { '@timestamp': 'x', rule: { id: '1', level: 3 }, agent: { id: '000' } }, 'wazuh'],
  ] as const)('detects %s so its mapper can say why it is not an alert', (_what, input, format) => {
    expect(detectFormat(input)).toBe(format);
  });

  it.each([
    ['null', null],
    ['an array', [{ event_type: 'alert' }]],
    ['a string', 'alert'],
    ['an empty object', {}],
    ['a Vigil alert without event_time', { rule: { id: 'r', name: 'n' }, severity: 'low' }],
    ['an ECS document without event.kind', { '@timestamp': '2025-03-14T00:00:00Z', message: 'hello' }],
  ] as const)('gives up on %s', (_what, input) => {
    expect(detectFormat(input)).toBeNull();
  });
});
