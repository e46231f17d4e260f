/**
 * The state of one group of one correlation rule version, as plain JSON so the live
 * stage keeps it in a Postgres row and simulation in a Map. Field names are short: this
 * is written once per alert that joins a group.
 */
export interface WindowEvent {
  /** Alert id (or, for a chained correlation, the firing incident's id). */
  readonly id: string;
  /** Event time, epoch ms. */
  readonly t: number;
  /** Index of the `rules:` entry the event came through. */
  readonly r: number;
  /** The aggregated field's value (value_* types); a string of tuples for several fields. */
  readonly v?: string | number;
  /** Severity score of the alert, so an incident's severity rises with its members. */
  readonly s: number;
}

/** The incident a group is in: alerts within `timespan` of its last member join it. */
export interface Episode {
  readonly id: string;
  /** Event time of the earliest alert of the window that opened it: part of its id. */
  readonly start: number;
  readonly first: number;
  readonly last: number;
  readonly count: number;
}

export interface GroupState {
  /** Events not yet in an incident, sorted by time, then `rules:` order, then id. */
  readonly events: readonly WindowEvent[];
  readonly episode: Episode | null;
  /**
   * For conditions decided at window close: when the watermark passing this instant
   * closes the oldest open window (its end plus the allowed lateness). Null otherwise.
   */
  readonly closeAt: number | null;
}

export const emptyGroupState: GroupState = Object.freeze({ events: [], episode: null, closeAt: null });

export function compareEvents(a: WindowEvent, b: WindowEvent): number {
  return a.t - b.t || a.r - b.r || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
