import { describe, expect, it } from 'vitest';
import { expandDottedKeys, getPath } from './dotted-keys.ts';

describe('expandDottedKeys', () => {
  it('nests dotted keys and merges them with nested objects', () => {
    const out = expandDottedKeys({ 'event.kind': 'alert', event: { id: 'e1' }, 'kibana.alert.rule.name': 'R', list: [{ 'a.b': 1 }] });
    expect(JSON.parse(JSON.stringify(out))).toEqual({ event: { kind: 'alert', id: 'e1' }, kibana: { alert: { rule: { name: 'R' } } }, list: [{ a: { b: 1 } }] });
  });

  it('keeps the first value when a scalar and a path collide', () => {
    expect(getPath(expandDottedKeys({ event: 'x', 'event.kind': 'alert' }), 'event')).toBe('x');
    expect(getPath(expandDottedKeys({ 'a.b': 1, a: { b: 2 } }), 'a.b')).toBe(1);
  });

  it('leaves keys that are not paths alone', () => {
    const out = expandDottedKeys({ '.a': 1, 'a.': 2, 'a..b': 3 });
    expect(getPath(out, '.a')).toBeUndefined();
    expect(Object.keys(out as object).sort()).toEqual(['.a', 'a.', 'a..b']);
  });

  it('treats __proto__ as data, not as a prototype', () => {
    const out = expandDottedKeys(JSON.parse('{"__proto__.polluted": true, "a": {"__proto__": {"polluted": true}}}') as unknown);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(getPath(out, '__proto__.polluted')).toBe(true);
  });

  it('returns scalars unchanged', () => {
    expect(expandDottedKeys('x')).toBe('x');
    expect(expandDottedKeys(null)).toBeNull();
  });
});
