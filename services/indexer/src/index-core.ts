import { topics, type Alert, type DuplicateNotice, type Incident } from '@vigil/contracts';
import { INCIDENT_INDEX, alertIndexFor, type BulkOp } from '@vigil/search';

export type IndexDecision = { readonly kind: 'write'; readonly op: BulkOp } | { readonly kind: 'reject'; readonly message: string };

const dedupFields: ReadonlySet<string> = new Set(['dedup_count', 'first_seen', 'last_seen']);

/**
 * The alert as a document stamped with indexed_at, optionally without some fields. A copying
 * loop on purpose: `{ ...alert, indexed_at }` adds a key to a spread clone, which V8 does
 * through a slow map transition (~5 µs per alert, twice per alert here), and `delete` turns
 * the copy into a dictionary.
 */
function documentOf(alert: Alert, now: number, omit?: ReadonlySet<string>): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  // Own keys only: decoded records are instances of avsc's record classes.
  for (const key of Object.keys(alert)) if (omit === undefined || !omit.has(key)) doc[key] = alert[key as keyof Alert];
  doc['indexed_at'] = now;
  return doc;
}

/** The alert id a record writes to and the event time that would place it, if it were new. */
export interface IndexTimeClaim {
  readonly tenantId: string;
  readonly alertId: string;
  readonly eventTime: number;
}

// The gateway's random ids are UUID version 4: such an id never comes again with another
// event time, so its own event time places it for good and needs no registry entry.
const randomUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * Which daily index an alert document lives in must not depend on a later copy of it: a
 * sensor may re-send the same alert id (the same deterministic id) with a later event
 * time. Records whose id can come again claim an index time; the first claim wins
 * (see IndexTimeRegistry in @vigil/redis) and indexDecision is given the winner.
 */
export function indexTimeClaim(topic: string, value: unknown): IndexTimeClaim | null {
  let claim: IndexTimeClaim | null = null;
  if (topic === topics.alerts.name) {
    const alert = value as Alert;
    claim = { tenantId: alert.tenant_id, alertId: alert.id, eventTime: alert.event_time };
  } else if (topic === topics.duplicates.name) {
    const notice = value as DuplicateNotice;
    claim = { tenantId: notice.tenant_id, alertId: notice.canonical_id, eventTime: notice.canonical_event_time };
  }
  return claim === null || randomUuid.test(claim.alertId) ? null : claim;
}

/**
 * The indexer's pure core: one decoded record in, one idempotent bulk operation out.
 * Canonical alerts and duplicate notices merge into the same document by alert id and
 * may arrive in either order (different topics); neither may undo the other:
 * - an alert sets its content, and its dedup fields only if the doc does not exist yet;
 * - a notice sets the dedup fields (absolute values) and creates a stub if needed.
 * Incidents are whole documents ordered by their revision.
 * `indexTime`: the first event time recorded for the alert id (indexTimeClaim), which
 * picks the daily index; without it the record's own event time does.
 */
export function indexDecision(topic: string, value: unknown, now: number, indexTime?: number): IndexDecision {
  if (topic === topics.alerts.name) {
    const alert = value as Alert;
    const index = alertIndexFor(indexTime ?? alert.event_time);
    return { kind: 'write', op: { kind: 'merge', index, id: alert.id, doc: documentOf(alert, now, dedupFields), upsert: documentOf(alert, now) } };
  }
  if (topic === topics.duplicates.name) {
    const notice = value as DuplicateNotice;
    const dedup = { dedup_count: notice.count, first_seen: notice.first_seen, last_seen: notice.last_seen };
    return {
      kind: 'write',
      op: { kind: 'merge', index: alertIndexFor(indexTime ?? notice.canonical_event_time), id: notice.canonical_id, doc: dedup, upsert: { id: notice.canonical_id, tenant_id: notice.tenant_id, ...dedup } },
    };
  }
  if (topic === topics.incidents.name) {
    const incident = value as Incident;
    return { kind: 'write', op: { kind: 'versioned', index: INCIDENT_INDEX, id: incident.id, version: incident.revision, doc: incident } };
  }
  return { kind: 'reject', message: `indexer does not handle topic ${topic}` };
}

/** A slice's bulk operations, and for each decision the operation whose result is its own (-1: rejected). */
export interface SlicePlan {
  readonly ops: BulkOp[];
  readonly opOf: number[];
}

/**
 * One operation per write, except that of several revisions of one incident in a slice only
 * the newest is sent: the older ones would be refused by external versioning anyway, and a
 * busy incident gains a revision with every member, each a whole-document reindex. Every revision of the incident shares the sent one's result.
 */
export function planSlice(decisions: readonly IndexDecision[]): SlicePlan {
  const ops: BulkOp[] = [];
  const opOf: number[] = [];
  const newest = new Map<string, number>();
  for (const d of decisions) {
    if (d.kind !== 'write') {
      opOf.push(-1);
      continue;
    }
    const { op } = d;
    if (op.kind !== 'versioned') {
      opOf.push(ops.push(op) - 1);
      continue;
    }
    const key = `${op.index}\u0000${op.id}`;
    const at = newest.get(key);
    if (at === undefined) {
      newest.set(key, ops.length);
      opOf.push(ops.push(op) - 1);
    } else {
      if ((ops[at] as Extract<BulkOp, { kind: 'versioned' }>).version < op.version) ops[at] = op;
      opOf.push(at);
    }
  }
  return { ops, opOf };
}
