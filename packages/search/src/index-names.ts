/**
 * Alert indices are daily by event time (UTC), so retention is dropping old indices.
 * The indexer passes the first event time recorded for an alert id (not a re-send's), so
 * one id stays one document and a notice for a canonical alert lands in that alert's
 * index (docs/delivery.md, "One alert, one document").
 */
export const ALERT_INDEX_PREFIX = 'vigil-alerts-';
export const ALERT_INDEX_PATTERN = `${ALERT_INDEX_PREFIX}*`;
export const INCIDENT_INDEX = 'vigil-incidents';

export function alertIndexFor(eventTime: number): string {
  const d = new Date(eventTime);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${ALERT_INDEX_PREFIX}${d.getUTCFullYear()}.${pad(d.getUTCMonth() + 1)}.${pad(d.getUTCDate())}`;
}
