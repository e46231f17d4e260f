import { describe, it, expect } from 'vitest';
import { extractBearerToken } from './bearer.ts';

describe('extractBearerToken', () => {
  it('returns the token of a Bearer header, whatever the scheme case', () => {
    expect(extractBearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(extractBearerToken('bearer abc.def.ghi')).toBe('abc.def.ghi');
  });

  it.each([undefined, '', 'Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Token abc.def.ghi', 'abc.def.ghi', 'Bearer a b'])(
    'treats %j as no token (AUTH_TOKEN_MISSING, 401)',
    (header) => {
      expect(() => extractBearerToken(header)).toThrow(expect.objectContaining({ code: 'AUTH_TOKEN_MISSING', status: 401 }));
    },
  );

  it('refuses an absurdly long token before parsing it', () => {
    expect(() => extractBearerToken(`Bearer ${'a'.repeat(20_000)}`)).toThrow(expect.objectContaining({ code: 'AUTH_TOKEN_INVALID', status: 401 }));
  });
});
