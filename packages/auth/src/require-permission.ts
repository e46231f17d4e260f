import { VigilError } from '@vigil/errors';
import type { Permission } from './permissions.ts';
import type { Principal } from './principal.ts';

export function requirePermission(principal: Principal, permission: Permission): void {
  if (!principal.permissions.has(permission)) {
    throw new VigilError('AUTH_FORBIDDEN', `this request needs the "${permission}" permission, which the token does not grant`);
  }
}
