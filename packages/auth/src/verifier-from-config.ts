import { createVerifier, type Verifier } from './verifier.ts';

/** The token settings every API's config carries (see @vigil/config `fields.api`). */
export interface TokenConfig {
  readonly JWKS_URL?: string | undefined;
  readonly JWKS_FILE?: string | undefined;
  readonly JWT_ISSUER: string;
  readonly JWT_AUDIENCE: string;
  readonly TENANT_CLAIM: string;
}

export function verifierFromConfig(config: TokenConfig): Verifier {
  const jwks = config.JWKS_FILE ? { file: config.JWKS_FILE } : config.JWKS_URL ? { url: config.JWKS_URL } : null;
  if (jwks === null) throw new Error('JWKS_URL or JWKS_FILE is required');
  return createVerifier({ jwks, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, tenantClaim: config.TENANT_CLAIM });
}
