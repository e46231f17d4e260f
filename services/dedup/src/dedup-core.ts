import { recordKey, tenantIdSchema, topics, type Alert, type DuplicateNotice } from '@vigil/contracts';
import type { OutgoingRecord } from '@vigil/kafka';
import type { DedupDecision } from './dedup-decision.ts';

export type AlertCheck = { readonly ok: true; readonly alert: Alert } | { readonly ok: false; readonly message: string };

/**
 * What dedup needs of a decoded record before it may touch Redis: the tenant ends up
 * in key names, the id is the idempotency key, the event time decides the window.
 */
export function checkAlert(value: unknown): AlertCheck {
  if (value === null || typeof value !== 'object') return { ok: false, message: 'record is not an alert' };
  const alert = value as Partial<Alert>;
  if (!tenantIdSchema.safeParse(alert.tenant_id).success) return { ok: false, message: 'alert has no valid tenant_id' };
  if (typeof alert.id !== 'string' || alert.id.length === 0) return { ok: false, message: 'alert has no id' };
  if (typeof alert.rule_id !== 'string') return { ok: false, message: 'alert has no rule_id' };
  if (typeof alert.event_time !== 'number' || !Number.isSafeInteger(alert.event_time)) return { ok: false, message: 'alert event_time is not an integer epoch-ms' };
  return { ok: true, alert: value as Alert };
}

/** The canonical alert as it goes downstream: a window of one, so far. */
export function canonicalAlert(alert: Alert, fingerprint: string): Alert {
  return { ...alert, fingerprint, dedup_count: 1, first_seen: alert.event_time, last_seen: alert.event_time };
}

/**
 * The records one decision produces. Canonical and late alerts are forwarded (a late
 * one is a window of its own); a duplicate becomes a notice with the window's
 * absolute values (on a replay, the window's latest ones).
 */
export function outputsFor(alert: Alert, fingerprint: string, decision: DedupDecision): OutgoingRecord[] {
  if (decision.kind !== 'duplicate') {
    return [{ topic: topics.alerts, key: recordKey(alert.tenant_id, alert.rule_id), value: canonicalAlert(alert, fingerprint) }];
  }
  const notice: DuplicateNotice = {
    tenant_id: alert.tenant_id,
    canonical_id: decision.canonicalId,
    canonical_event_time: decision.canonicalEventTime,
    duplicate_id: alert.id,
    fingerprint,
    count: decision.count,
    first_seen: decision.firstSeen,
    last_seen: decision.lastSeen,
    duplicate_event_time: alert.event_time,
  };
  return [{ topic: topics.duplicates, key: recordKey(alert.tenant_id, decision.canonicalId), value: notice }];
}
