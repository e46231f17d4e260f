import { decodeProtectedHeader } from 'jose';
import { VigilError } from '@vigil/errors';

export const allowedAlgorithm = 'RS256';

/**
 * Header parameters that tell a verifier where to find the key. Honouring any of them
 * lets the token choose its own trust anchor (or make us fetch an attacker's URL), so a
 * token carrying one is refused outright even if its signature would check out.
 */
const keyLocatingHeaders = ['jwk', 'jku', 'x5u', 'x5c'] as const;

/**
 * Runs before any key lookup, so nothing in the token can trigger work or I/O; jose
 * enforces the algorithm again during verification.
 */
export function assertSafeHeader(token: string): void {
  // Five segments would be a JWE, which decodeProtectedHeader also accepts.
  const segments = token.split('.');
  if (segments.length !== 3) throw invalid('the bearer token is not a valid JWT');
  // One token, one spelling: a lenient decoder also takes padding, the +/ alphabet or stray
  // low bits, which would let a deny-list or replay cache keyed on the string be sidestepped.
  if (!segments.every(isCanonicalBase64url)) throw invalid('the bearer token is not a valid JWT (each part must be unpadded base64url)');
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw invalid('the bearer token is not a valid JWT');
  }
  if (header.alg !== allowedAlgorithm) throw invalid(`the token must be signed with ${allowedAlgorithm}`);
  // Another kind of JWT from the same issuer (a logout or ID token with our audience) is no access token (RFC 8725 §3.11).
  if (header.typ !== undefined && !accessTokenTypes.has(String(header.typ).toLowerCase())) throw invalid(`a token of type "${String(header.typ).slice(0, 40)}" is not an access token (typ must be JWT or at+jwt)`);
  if (header.kid !== undefined && (typeof header.kid !== 'string' || header.kid.length > 256)) throw invalid('the token header "kid" must be a string of at most 256 characters');
  for (const name of keyLocatingHeaders) {
    if (Object.hasOwn(header, name)) throw invalid(`the token header must not carry "${name}"; keys come only from the configured key set`);
  }
}

const accessTokenTypes: ReadonlySet<string> = new Set(['jwt', 'at+jwt', 'application/at+jwt']);

function isCanonicalBase64url(segment: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(segment) && Buffer.from(segment, 'base64url').toString('base64url') === segment;
}

function invalid(message: string): VigilError {
  return new VigilError('AUTH_TOKEN_INVALID', message);
}
