export { permissions, roles, roleNames, permissionsOf, isPermission, isRole, type Permission, type Role } from './permissions.ts';
export { createVerifier, type Verifier, type VerifierOptions } from './verifier.ts';
export type { JwksSource } from './key-source.ts';
export type { Principal } from './principal.ts';
export { requirePermission } from './require-permission.ts';
export { ensureDevKeys, type DevKeys } from './dev-keys.ts';
export { mintToken, startJwksServer, DEV_ISSUER, DEV_AUDIENCE, DEV_JWKS_PORT, type MintTokenOptions, type JwksServer, type JwksServerOptions } from './dev-idp.ts';
export { verifierFromConfig, type TokenConfig } from './verifier-from-config.ts';
