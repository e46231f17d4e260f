import { describe, it, expect } from 'vitest';
import { isPermission, isRole, permissions, permissionsOf, roles } from './permissions.ts';

describe('roles', () => {
  it('gives a sensor only alerts:write', () => {
    expect(permissionsOf('sensor')).toEqual(['alerts:write']);
  });

  it('gives an analyst read access plus cases:write and incidents:write (triage), but no writes to alerts or rules', () => {
    expect([...permissionsOf('analyst')].sort()).toEqual(['alerts:read', 'cases:write', 'incidents:read', 'incidents:write', 'rules:read']);
  });

  it('gives an engineer everything an analyst has plus rules:write and webhooks:write', () => {
    expect([...permissionsOf('engineer')].sort()).toEqual([...permissionsOf('analyst'), 'rules:write', 'webhooks:write'].sort());
  });

  it("gives a tenant's admin every permission but the operators' cross-tenant admin:dlq", () => {
    expect([...permissionsOf('admin')].sort()).toEqual(permissions.filter((p) => p !== 'admin:dlq').sort());
    expect(permissionsOf('admin')).toContain('dead-letters:read');
    expect(permissionsOf('operator')).toEqual(['admin:dlq']);
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(roles)).toBe(true);
    expect(() => (roles.sensor as unknown as string[]).push('admin:dlq')).toThrow();
  });
});

describe('isPermission / isRole', () => {
  it('accepts only known names, not inherited object keys', () => {
    expect(isPermission('alerts:read')).toBe(true);
    expect(isPermission('alerts:delete')).toBe(false);
    expect(isPermission(42)).toBe(false);
    expect(isRole('engineer')).toBe(true);
    for (const name of ['toString', '__proto__', 'constructor', 'root']) expect(isRole(name)).toBe(false);
  });
});
