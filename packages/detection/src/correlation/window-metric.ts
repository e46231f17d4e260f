import type { CorrelationType } from './correlation-spec.ts';
import type { WindowEvent } from './window-state.ts';

/**
 * The number a correlation's condition is tested against, for the events of one window
 * (sorted by time). `ruleCount` is how many `rules:` entries the correlation lists.
 */
export function windowMetric(type: CorrelationType, events: readonly WindowEvent[], ruleCount: number): number {
  switch (type) {
    case 'event_count':
      return events.length;
    case 'value_count':
      return new Set(events.map((e) => e.v)).size;
    case 'temporal':
      return new Set(events.map((e) => e.r)).size;
    case 'temporal_ordered':
      return orderedPrefix(events, ruleCount);
    case 'value_sum':
      return sum(events);
    case 'value_avg':
      return events.length === 0 ? 0 : sum(events) / events.length;
    case 'value_median':
      return median(events);
    case 'value_min':
      return events.reduce((m, e) => Math.min(m, Number(e.v)), Infinity);
    case 'value_max':
      return events.reduce((m, e) => Math.max(m, Number(e.v)), -Infinity);
  }
}

const sum = (events: readonly WindowEvent[]) => events.reduce((acc, e) => acc + Number(e.v), 0);

/** The middle value, or the mean of the two middle ones (pySigma's value_median). */
function median(events: readonly WindowEvent[]): number {
  if (events.length === 0) return 0;
  const values = events.map((e) => Number(e.v)).sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 === 1 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
}

/**
 * How many leading entries of `rules:` occur in list order. Taking the earliest next
 * step is optimal for a subsequence; events of equal time are sorted in list order, so
 * simultaneous steps count as ordered (the sensor's clock cannot tell them apart).
 */
function orderedPrefix(events: readonly WindowEvent[], ruleCount: number): number {
  let next = 0;
  for (const event of events) {
    if (event.r === next) next += 1;
    if (next === ruleCount) break;
  }
  return next;
}

