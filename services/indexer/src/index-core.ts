import { topics, type Alert, type DuplicateNotice, type Incident } from '@vigil/contracts';
import { INCIDENT_INDEX, alertIndexFor, type BulkOp } from '@vigil/search';

export type IndexDecision = { readonly kind: 'write'; readonly op: BulkOp } | { readonly kind: 'reject'; readonly message: string };

const dedupFields = ['dedup_count', 'first_seen', 'last_seen'] as const;

/**
 * The indexer's pure core: one decoded record in, one idempotent bulk operation out.
 * Canonical alerts and duplicate notices merge into the same document by alert id and
 * may arrive in either order (different topics); neither may undo the other:
 * - an alert sets its content, and its dedup fields only if the doc does not exist yet;
 * - a notice sets the dedup fields (absolute values) and creates a stub if needed.
 * Incidents are whole documents ordered by their revision.
 */
export function indexDecision(topic: string, value: unknown, now: number): IndexDecision {
  if (topic === topics.alerts.name) {
    const alert = value as Alert;
    const content: Record<string, unknown> = { ...alert, indexed_at: now };
    for (const field of dedupFields) delete content[field];
    return { kind: 'write', op: { kind: 'merge', index: alertIndexFor(alert.event_time), id: alert.id, doc: content, upsert: { ...alert, indexed_at: now } } };
  }
  if (topic === topics.duplicates.name) {
    const notice = value as DuplicateNotice;
    const dedup = { dedup_count: notice.count, first_seen: notice.first_seen, last_seen: notice.last_seen };
    return {
      kind: 'write',
      op: { kind: 'merge', index: alertIndexFor(notice.canonical_event_time), id: notice.canonical_id, doc: dedup, upsert: { id: notice.canonical_id, tenant_id: notice.tenant_id, ...dedup } },
    };
  }
  if (topic === topics.incidents.name) {
    const incident = value as Incident;
    return { kind: 'write', op: { kind: 'versioned', index: INCIDENT_INDEX, id: incident.id, version: incident.revision, doc: incident } };
  }
  return { kind: 'reject', message: `indexer does not handle topic ${topic}` };
}
