import { describe, expect, it } from 'vitest';
import { prepared } from './prepared.ts';

describe('prepared', () => {
  it('names the statement so each connection parses it once', () => {
    const byId = prepared('test.by-id', 'SELECT $1::int AS id');
    expect(byId([7])).toEqual({ name: 'test.by-id', text: 'SELECT $1::int AS id', values: [7] });
  });

  it('the same name for the same text is allowed (a module loaded twice)', () => {
    prepared('test.twice', 'SELECT 1');
    expect(() => prepared('test.twice', 'SELECT 1')).not.toThrow();
  });

  it('one name for two texts is refused: a connection would run the first for both', () => {
    prepared('test.taken', 'SELECT 1');
    expect(() => prepared('test.taken', 'SELECT 2')).toThrow(/test.taken is already used/);
  });
});
