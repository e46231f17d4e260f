import { errors, jwtVerify } from 'jose';
import { VigilError, isVigilError } from '@vigil/errors';
import { extractBearerToken } from './bearer.ts';
import { allowedAlgorithm, assertSafeHeader } from './header-guard.ts';
import { createKeySource } from './key-source.ts';
import type { JwksSource } from './key-source.ts';
import { principalFromClaims } from './principal.ts';
import type { Principal } from './principal.ts';

export interface VerifierOptions {
  readonly jwks: JwksSource;
  readonly issuer: string;
  readonly audience: string;
  /** Name of the claim carrying the tenant id. */
  readonly tenantClaim?: string;
  readonly clockToleranceSec?: number;
  /** Longest validity (exp − now) a token may have; the threat model relies on short-lived tokens. */
  readonly maxLifetimeSec?: number;
}

export interface Verifier {
  verify(authorizationHeader: string | undefined): Promise<Principal>;
}

export function createVerifier(options: VerifierOptions): Verifier {
  // jose skips the iss/aud comparison when the expected value is empty, which would
  // quietly accept tokens from any issuer: refuse such a configuration up front.
  if (!options.issuer || !options.audience) throw new Error('createVerifier needs a non-empty issuer and audience');
  const clockTolerance = options.clockToleranceSec ?? 5;
  if (!Number.isFinite(clockTolerance) || clockTolerance < 0) throw new Error('clockToleranceSec must be a non-negative number');
  const maxLifetime = options.maxLifetimeSec ?? DEFAULT_MAX_LIFETIME_SEC;
  const keys = createKeySource(options.jwks);
  const tenantClaim = options.tenantClaim ?? 'tenant';
  const verifyOptions = {
    algorithms: [allowedAlgorithm],
    issuer: options.issuer,
    audience: options.audience,
    requiredClaims: ['exp', 'iss', 'aud'],
    clockTolerance,
  };

  return {
    async verify(authorizationHeader) {
      const token = extractBearerToken(authorizationHeader);
      assertSafeHeader(token);
      let payload;
      try {
        ({ payload } = await jwtVerify(token, keys, verifyOptions));
      } catch (err) {
        throw toAuthError(err);
      }
      assertLifetime(payload, maxLifetime, clockTolerance);
      return principalFromClaims(payload, tenantClaim);
    },
  };
}

/** A day: long enough for any session, short enough that a leaked token does not live on. */
export const DEFAULT_MAX_LIFETIME_SEC = 86_400;

/** Tokens valid for years, or issued in the future, are refused: nothing revokes them. */
function assertLifetime(payload: { exp?: number; iat?: unknown }, maxLifetime: number, tolerance: number): void {
  const now = Math.floor(Date.now() / 1000);
  if (typeof payload.exp === 'number' && payload.exp - now > maxLifetime + tolerance) {
    throw new VigilError('AUTH_TOKEN_INVALID', `the token is valid for longer than the ${maxLifetime} s this service accepts; issue shorter-lived tokens`);
  }
  if (payload.iat !== undefined && (typeof payload.iat !== 'number' || payload.iat > now + tolerance)) {
    throw new VigilError('AUTH_TOKEN_INVALID', 'the token\'s "iat" is in the future (or not a number); check the clock of the issuing system');
  }
}

/**
 * Says what the client should fix, but the same words cover an unknown key id and a bad
 * signature so that probing cannot discover which key ids exist.
 */
function toAuthError(err: unknown): VigilError {
  if (isVigilError(err)) return err;
  const invalid = (message: string) => new VigilError('AUTH_TOKEN_INVALID', message, {}, { cause: err });
  if (err instanceof errors.JWTExpired) return invalid('the token has expired; obtain a new one');
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.reason === 'missing') return invalid('the token must carry "iss", "aud" and "exp" claims');
    if (err.claim === 'nbf') return invalid('the token is not valid yet; check the clock of the issuing system');
    if (err.claim === 'iss' || err.claim === 'aud') return invalid('the token was not issued for this service (wrong "iss" or "aud")');
  }
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWSSignatureVerificationFailed) {
    return invalid('the token signature could not be verified with the trusted keys');
  }
  return invalid('the bearer token is not a valid JWT');
}
