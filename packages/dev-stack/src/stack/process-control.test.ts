import { describe, expect, it } from 'vitest';
import { parseProcState } from './process-control.ts';

describe('parseProcState', () => {
  it('reads the state letter after the command name', () => {
    expect(parseProcState('1234 (java) S 1 1234 1234 0 -1')).toBe('S');
    expect(parseProcState('1234 (java) Z 1 1234 1234 0 -1')).toBe('Z');
  });

  it('copes with spaces and parentheses inside the command name', () => {
    expect(parseProcState('99 (weird ) name) R 1 2 3')).toBe('R');
  });

  it('returns undefined for garbage', () => {
    expect(parseProcState('')).toBeUndefined();
  });
});
