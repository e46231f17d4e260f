import { describe, expect, it } from 'vitest';
import { exceedsDepth } from './json-depth.ts';

function nest(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

describe('exceedsDepth', () => {
  it.each([
    [1, { a: 1 }, false],
    [1, { a: { b: 1 } }, true],
    [2, { a: { b: 1 } }, false],
    [3, [[[1]]], false],
    [3, [[[[1]]]], true],
    [0, 'scalar', false],
  ])('limit %i on %j → %s', (limit, value, expected) => {
    expect(exceedsDepth(value, limit)).toBe(expected);
  });

  it('handles very deep values without recursion', () => {
    expect(exceedsDepth(nest(200_000), 32)).toBe(true);
  });
});
