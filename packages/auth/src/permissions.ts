export const permissions = [
  'alerts:write',
  'alerts:read',
  'incidents:read',
  'incidents:write',
  'rules:read',
  'rules:write',
  'cases:write',
  'webhooks:write',
  /** Operators of the platform (role `operator`, no tenant role has it): every tenant's dead letters and outbox rows through `vigil dlq` / `vigil outbox` (store access needed too). */
  'admin:dlq',
  /** A tenant's admin: that tenant's own dead letters through the query API. */
  'dead-letters:read',
  /** Back up and restore a tenant's rules (the guarded snapshot). */
  'admin:rules',
] as const;

export type Permission = (typeof permissions)[number];

const analyst = ['alerts:read', 'incidents:read', 'incidents:write', 'rules:read', 'cases:write'] as const satisfies readonly Permission[];

/** Roles are only bundles of permissions: endpoints check permissions, never role names. */
export const roles = Object.freeze({
  sensor: Object.freeze(['alerts:write'] as const satisfies readonly Permission[]),
  analyst: Object.freeze(analyst),
  engineer: Object.freeze([...analyst, 'rules:write', 'webhooks:write'] as const satisfies readonly Permission[]),
  /** A tenant's admin: everything about the tenant, never other tenants' dead letters. */
  admin: Object.freeze(permissions.filter((p) => p !== 'admin:dlq')),
  /** The platform's operators: cross-tenant dead letters and outbox rows, nothing of any tenant's API. */
  operator: Object.freeze(['admin:dlq'] as const satisfies readonly Permission[]),
});

export type Role = keyof typeof roles;

export const roleNames = Object.freeze(Object.keys(roles) as Role[]);

export function permissionsOf(role: Role): readonly Permission[] {
  return roles[role];
}

// Claims come from outside: a plain `in` check would accept 'toString' or '__proto__'.
export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && (permissions as readonly string[]).includes(value);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roleNames as readonly string[]).includes(value);
}
