import type { JWTPayload } from 'jose';
import { VigilError } from '@vigil/errors';
import { tenantIdSchema } from '@vigil/contracts';
import { isPermission, isRole, permissionsOf } from './permissions.ts';
import type { Permission, Role } from './permissions.ts';

/** Who is calling, for which tenant, allowed to do what. Built only from a verified token. */
export interface Principal {
  readonly tenantId: string;
  readonly subject: string;
  readonly permissions: ReadonlySet<Permission>;
  readonly roles: readonly Role[];
}

/** Turns verified claims into a principal; signature and time checks have already passed. */
export function principalFromClaims(payload: JWTPayload, tenantClaim: string): Principal {
  const tenant = payload[tenantClaim];
  if (typeof tenant !== 'string' || !tenantIdSchema.safeParse(tenant).success) {
    throw new VigilError('AUTH_TENANT_CLAIM_INVALID', `the token's "${tenantClaim}" claim must be a tenant id: 1-63 characters of [A-Za-z0-9_-], starting with a letter or digit`);
  }
  // Audit records and rate limits key on the subject, so a token without one is unusable.
  if (typeof payload.sub !== 'string' || payload.sub.trim().length === 0) {
    throw new VigilError('AUTH_TOKEN_INVALID', 'the token must carry a non-empty "sub" claim');
  }
  // Unknown names are ignored rather than rejected so the identity provider can add
  // permissions for newer services without breaking this one; they grant nothing here.
  const roles = [...new Set(stringsOf(payload.roles).filter(isRole))];
  const granted = new Set<Permission>(stringsOf(payload.permissions).filter(isPermission));
  for (const role of roles) for (const permission of permissionsOf(role)) granted.add(permission);
  return Object.freeze({ tenantId: tenant, subject: payload.sub, permissions: granted, roles: Object.freeze(roles) });
}

function stringsOf(claim: unknown): string[] {
  return Array.isArray(claim) ? claim.filter((item): item is string => typeof item === 'string') : [];
}
