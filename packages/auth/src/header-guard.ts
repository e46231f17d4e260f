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
  if (token.split('.').length !== 3) throw invalid('the bearer token is not a valid JWT');
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw invalid('the bearer token is not a valid JWT');
  }
  if (header.alg !== allowedAlgorithm) throw invalid(`the token must be signed with ${allowedAlgorithm}`);
  for (const name of keyLocatingHeaders) {
    if (Object.hasOwn(header, name)) throw invalid(`the token header must not carry "${name}"; keys come only from the configured key set`);
  }
}

function invalid(message: string): VigilError {
  return new VigilError('AUTH_TOKEN_INVALID', message);
}
