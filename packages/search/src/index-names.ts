/**
 * Alert indices are daily by event time (UTC), so retention is dropping old indices
 * and a notice for a canonical alert can name that alert's index from its event time.
 */
export const ALERT_INDEX_PREFIX = 'vigil-alerts-';
export const ALERT_INDEX_PATTERN = `${ALERT_INDEX_PREFIX}*`;
export const INCIDENT_INDEX = 'vigil-incidents';

export function alertIndexFor(eventTime: number): string {
  const d = new Date(eventTime);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${ALERT_INDEX_PREFIX}${d.getUTCFullYear()}.${pad(d.getUTCMonth() + 1)}.${pad(d.getUTCDate())}`;
}
