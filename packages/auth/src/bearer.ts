import { VigilError } from '@vigil/errors';

// Far above any real access token; stops a multi-megabyte header from reaching the JSON parser.
const maxTokenLength = 16 * 1024;

/**
 * Pulls the token out of `Authorization: Bearer <token>`. The scheme is case-insensitive
 * (RFC 7235); anything that is not a bearer credential counts as no token at all.
 */
export function extractBearerToken(authorizationHeader: string | undefined): string {
  const match = /^Bearer +(\S+) *$/i.exec(authorizationHeader ?? '');
  const token = match?.[1];
  if (token === undefined) {
    throw new VigilError('AUTH_TOKEN_MISSING', 'send an access token as "Authorization: Bearer <token>"');
  }
  if (token.length > maxTokenLength) {
    throw new VigilError('AUTH_TOKEN_INVALID', 'the bearer token is not a valid JWT');
  }
  return token;
}
