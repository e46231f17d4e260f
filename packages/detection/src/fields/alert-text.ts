import type { Alert } from '@vigil/contracts';
import { alertFieldNames, type AlertFieldName } from './alert-fields.ts';

// Ids and the fingerprint are assigned by Vigil and are random-looking hex or uuids: a short
// keyword such as `dead` or `c0de` would match them by accident, and they say nothing about the event.
const notEventContent: ReadonlySet<AlertFieldName> = new Set(['id', 'tenant_id', 'fingerprint']);

/** Own fields whose string values keyword search looks at (the numeric ones are in `raw` anyway). */
export const keywordFieldNames: readonly AlertFieldName[] = Object.freeze(alertFieldNames.filter((name) => !notEventContent.has(name)));

/**
 * Whether `test` accepts any piece of the alert's text: a string-valued own field (see
 * {@link keywordFieldNames}), any label value, or the raw sensor record. Sigma keywords search
 * "the full log message"; for an alert that is all of these.
 */
export function someAlertText(alert: Alert, test: (text: string) => boolean): boolean {
  for (const name of keywordFieldNames) {
    const value = alert[name];
    if (typeof value === 'string' && test(value)) return true;
  }
  for (const key in alert.labels) {
    const value = alert.labels[key];
    if (typeof value === 'string' && test(value)) return true;
  }
  return alert.raw !== null && test(alert.raw);
}
