import { describe, expect, it } from 'vitest';
import { parseTimestamp } from './timestamp.ts';

const strict = { compactOffset: false };
const lenient = { compactOffset: true };

describe('parseTimestamp', () => {
  it.each([
    ['2025-03-14T10:00:00Z', '2025-03-14T10:00:00.000Z'],
    ['2025-03-14t10:00:00z', '2025-03-14T10:00:00.000Z'],
    ['2025-03-14 10:00:00Z', '2025-03-14T10:00:00.000Z'],
    ['2025-03-14T10:00:00.5Z', '2025-03-14T10:00:00.500Z'],
    ['2025-03-14T10:00:00.123456789Z', '2025-03-14T10:00:00.123Z'],
    ['2025-03-14T12:00:00+02:00', '2025-03-14T10:00:00.000Z'],
    ['2025-03-14T05:30:00-04:30', '2025-03-14T10:00:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['2016-12-31T23:59:60Z', '2017-01-01T00:00:00.000Z'],
    ['0050-01-01T00:00:00Z', '0050-01-01T00:00:00.000Z'],
  ])('parses %s', (text, iso) => {
    expect(new Date(parseTimestamp(text, strict)!).toISOString()).toBe(iso);
  });

  it.each([
    '2025-03-14',
    '2025-03-14T10:00:00',
    '2025-03-14T10:00Z',
    '2025-13-01T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2025-03-14T24:00:00Z',
    '2025-03-14T10:60:00Z',
    '2025-03-14T10:00:00+24:00',
    '2025-03-14T10:00:00.Z',
    'Fri, 14 Mar 2025 10:00:00 GMT',
    ' 2025-03-14T10:00:00Z',
  ])('rejects %s', (text) => {
    expect(parseTimestamp(text, strict)).toBeNull();
  });

  it('accepts +hhmm offsets only when asked to', () => {
    expect(parseTimestamp('2025-03-14T10:00:00.123456+0000', strict)).toBeNull();
    expect(parseTimestamp('2025-03-14T10:00:00.123456+0100', lenient)).toBe(Date.parse('2025-03-14T09:00:00.123Z'));
  });
});
