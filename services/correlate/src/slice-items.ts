import { topics, type Alert, type DuplicateNotice } from '@vigil/contracts';
import type { InputRecord } from '@vigil/kafka';

/**
 * What correlate consumes: canonical alerts, and notices of the duplicates dedup folded
 * into them (each one more occurrence of the same alert, at its own event time).
 */
export type SliceItem = { readonly kind: 'alert'; readonly alert: Alert } | { readonly kind: 'repeat'; readonly notice: DuplicateNotice };

export function sliceItem(record: InputRecord): SliceItem {
  return record.topic === topics.duplicates.name ? { kind: 'repeat', notice: record.value as DuplicateNotice } : { kind: 'alert', alert: record.value as Alert };
}

export const tenantOf = (item: SliceItem) => (item.kind === 'alert' ? item.alert.tenant_id : item.notice.tenant_id);

/** The inbox id: an alert's own, or the suppressed duplicate's. */
export const eventIdOf = (item: SliceItem) => (item.kind === 'alert' ? item.alert.id : item.notice.duplicate_id);

/** A duplicate counts at its own event time; notices from before that field use the window's latest. */
export const repeatTimeOf = (notice: DuplicateNotice) => notice.duplicate_event_time ?? notice.last_seen;
