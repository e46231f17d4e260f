import { describe, expect, it } from 'vitest';
import { deterministicId } from './ids.ts';

describe('deterministicId', () => {
  it('is stable and shaped like a v5 UUID', () => {
    const a = deterministicId('alert', 't1', 'x');
    expect(a).toBe(deterministicId('alert', 't1', 'x'));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
  it('separates parts so concatenations do not collide', () => {
    expect(deterministicId('alert', 'ab', 'c')).not.toBe(deterministicId('alert', 'a', 'bc'));
    expect(deterministicId('alert', 't1', 'x')).not.toBe(deterministicId('incident', 't1', 'x'));
  });
});
