import { describe, expect, it } from 'vitest';
import { buildLabels, checkLabels, MAX_LABEL_VALUE } from './labels.ts';

describe('buildLabels', () => {
  it('drops empty entries, de-duplicates and joins lists, stringifies numbers', () => {
    expect(buildLabels({ a: null, b: undefined, c: '', d: [], e: ['x', 'y', 'x'], f: 7, g: 'v' })).toEqual({ e: 'x,y', f: '7', g: 'v' });
  });

  it('truncates long values without splitting a surrogate pair', () => {
    const value = `${'a'.repeat(MAX_LABEL_VALUE - 1)}😀`;
    expect(buildLabels({ k: value })['k']).toBe('a'.repeat(MAX_LABEL_VALUE - 1));
    expect(buildLabels({ k: 'b'.repeat(300) })['k']).toHaveLength(MAX_LABEL_VALUE);
  });
});

describe('checkLabels', () => {
  it('accepts a missing map as empty and trims keys and values', () => {
    expect(checkLabels(undefined)).toEqual({ ok: true, value: {} });
    expect(checkLabels({ ' env ': ' prod ' })).toEqual({ ok: true, value: { env: 'prod' } });
  });

  it('rejects a list and an empty key', () => {
    expect(checkLabels(['a'])).toMatchObject({ ok: false, message: 'must be an object of string values (got array)' });
    expect(checkLabels({ ' ': 'v' })).toMatchObject({ ok: false, path: [' '] });
  });
});
