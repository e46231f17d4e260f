import type { Logger } from '@vigil/logging';

/**
 * The last line of tenant enforcement: every document leaving the service must carry the
 * caller's tenant. The query already filters by tenant, so a mismatch means a bug or a
 * tampered index; it is logged as a security event and the document is dropped.
 */
export function createTenantGuard(logger: Logger) {
  return function ownOnly<T extends Record<string, unknown>>(tenant: string, docs: readonly T[], what: string): T[] {
    const own: T[] = [];
    for (const doc of docs) {
      if (doc['tenant_id'] === tenant) own.push(doc);
      else logger.error({ security_event: 'tenant_mismatch', tenant, what, doc_id: String(doc['id'] ?? '?'), doc_tenant: String(doc['tenant_id'] ?? '?') }, 'document of another tenant dropped before leaving the service');
    }
    return own;
  };
}

export type TenantGuard = ReturnType<typeof createTenantGuard>;
