import type { CorrelationSpec, CorrelationType } from './correlation-spec.ts';
import { windowMetric } from './window-metric.ts';
import { compareEvents, type Episode, type GroupState, type WindowEvent } from './window-state.ts';

/** What the core needs of a rule to decide for one of its groups. */
export interface WindowParams {
  readonly spec: CorrelationSpec;
  readonly allowedLatenessMs: number;
  /** The deterministic incident id of an episode starting at `start` (event time). */
  incidentId(start: number): string;
  /** Cap on events kept per group; the oldest go first (counted in `dropped`). */
  readonly maxEvents: number;
}

export type WindowEffect =
  | { readonly kind: 'opened'; readonly episode: Episode; readonly members: readonly WindowEvent[]; readonly value: number }
  | { readonly kind: 'joined'; readonly episode: Episode; readonly member: WindowEvent }
  /** In the window, the condition does not hold (yet). */
  | { readonly kind: 'counted'; readonly value: number }
  /** Older than the watermark minus the allowed lateness: recorded, not correlated. */
  | { readonly kind: 'late'; readonly watermark: number }
  /** Already in the group's state (a redelivery the inbox did not catch). */
  | { readonly kind: 'duplicate' }
  /** A closed window whose condition did not hold. */
  | { readonly kind: 'expired'; readonly value: number; readonly count: number };

export interface WindowResult {
  readonly state: GroupState;
  readonly effects: readonly WindowEffect[];
  /** Events pruned because the group hit `maxEvents`. */
  readonly dropped: number;
}

/**
 * One event into one group (the pure core of the correlate stage and of simulation).
 * Sliding windows on event time with inclusive bounds: events `a` and `b` share a window
 * when |a.t - b.t| <= timespan. `watermark` is the tenant's event-time progress,
 * including this event.
 */
export function applyEvent(params: WindowParams, state: GroupState, event: WindowEvent, watermark: number): WindowResult {
  const { spec, allowedLatenessMs } = params;
  const span = spec.timespanMs;
  if (event.t < watermark - allowedLatenessMs) return { state, effects: [{ kind: 'late', watermark }], dropped: 0 };
  const at = upperBound(state.events, event);
  if (holdsAlready(state.events, at, event)) return { state, effects: [{ kind: 'duplicate' }], dropped: 0 };

  const episode = state.episode;
  if (!spec.condition.decidedAtClose && episode && event.t >= episode.first - span && event.t <= episode.last + span) {
    const joined: Episode = { ...episode, first: Math.min(episode.first, event.t), last: Math.max(episode.last, event.t), count: episode.count + 1 };
    return finish(params, { ...state, episode: joined }, [{ kind: 'joined', episode: joined, member: event }], watermark);
  }

  const events = [...state.events];
  events.splice(at, 0, event);
  const capped = capPerKey(spec.type, events, event);
  const position = events.indexOf(event);
  // A late event older than the newest PER_KEY_CAP of its key adds nothing the window lacks.
  if (position === -1) return finish(params, { ...state, events }, [{ kind: 'counted', value: 0 }], watermark, capped);
  if (spec.condition.decidedAtClose) {
    return finish(params, { ...state, events, closeAt: closeAtOf(events, span, allowedLatenessMs) }, [{ kind: 'counted', value: windowMetric(spec.type, windowEndingAt(events, position, span), spec.rules.length) }], watermark, capped);
  }

  // A late event can complete a window that ends after it: try every window holding it,
  // earliest end first, so the incident opens with the alerts that first made it hold.
  let lastValue = 0;
  for (let end = position; end < events.length && events[end]!.t <= event.t + span; end += 1) {
    if (events[end + 1] && events[end + 1]!.t === events[end]!.t) continue; // a window ends after all events of its instant
    const [from, to] = windowRange(events, end, span);
    const inWindow = spec.type === 'event_count' ? null : events.slice(from, to);
    lastValue = inWindow === null ? to - from : windowMetric(spec.type, inWindow, spec.rules.length);
    if (!spec.condition.test(lastValue, inWindow ?? undefined)) continue;
    const window = inWindow ?? events.slice(from, to);
    const start = window[0]!.t;
    const opened: Episode = { id: params.incidentId(start), start, first: start, last: window[window.length - 1]!.t, count: window.length };
    const rest = [...events.slice(0, from), ...events.slice(to)];
    return finish(params, { events: rest, episode: opened, closeAt: null }, [{ kind: 'opened', episode: opened, members: window, value: lastValue }], watermark, capped);
  }
  return finish(params, { ...state, events }, [{ kind: 'counted', value: lastValue }], watermark, capped);
}

/**
 * For conditions decided at close (an upper bound such as `lt`): every window whose end
 * plus the allowed lateness the watermark has passed is decided now. Windows are
 * anchored at their first event and do not overlap, so each alert is judged once.
 */
export function closeDue(params: WindowParams, state: GroupState, watermark: number): WindowResult {
  const { spec, allowedLatenessMs } = params;
  const span = spec.timespanMs;
  const effects: WindowEffect[] = [];
  let events = state.events;
  let episode = state.episode;
  while (events.length > 0 && events[0]!.t + span + allowedLatenessMs < watermark) {
    const windowEnd = events[0]!.t + span;
    const window = events.filter((e) => e.t <= windowEnd);
    events = events.slice(window.length);
    const value = windowMetric(spec.type, window, spec.rules.length);
    if (!spec.condition.test(value, window)) {
      effects.push({ kind: 'expired', value, count: window.length });
      continue;
    }
    const start = window[0]!.t;
    episode = { id: params.incidentId(start), start, first: start, last: window[window.length - 1]!.t, count: window.length };
    effects.push({ kind: 'opened', episode, members: window, value });
  }
  return { state: { events, episode, closeAt: closeAtOf(events, span, allowedLatenessMs) }, effects, dropped: 0 };
}

/** Forget the group's incident, e.g. after an analyst closed it long ago: new evidence starts a new one. */
export function endEpisode(state: GroupState): GroupState {
  return { ...state, episode: null };
}

function closeAtOf(events: readonly WindowEvent[], span: number, lateness: number): number | null {
  return events.length === 0 ? null : events[0]!.t + span + lateness;
}

/** The events of the window [events[end].t - span, events[end].t]; `events` sorted. */
function windowEndingAt(events: readonly WindowEvent[], end: number, span: number): WindowEvent[] {
  const [from, to] = windowRange(events, end, span);
  return events.slice(from, to);
}

/** Index range [from, to) of that window, found by binary search. */
function windowRange(events: readonly WindowEvent[], end: number, span: number): [number, number] {
  const endTime = events[end]!.t;
  let to = end + 1;
  while (to < events.length && events[to]!.t === endTime) to += 1;
  return [firstAtOrAfter(events, endTime - span), to];
}

/** Index of the first event with time >= t (binary search: groups can hold thousands). */
function firstAtOrAfter(events: readonly WindowEvent[], t: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events[mid]!.t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Where `event` goes in the sorted list: after every event that sorts before or equal to it. */
function upperBound(events: readonly WindowEvent[], event: WindowEvent): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareEvents(events[mid]!, event) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The same event (id and rules entry) is already kept: it sorts right before `at`. */
function holdsAlready(events: readonly WindowEvent[], at: number, event: WindowEvent): boolean {
  const before = events[at - 1];
  return before !== undefined && before.id === event.id && before.r === event.r && before.t === event.t;
}

/**
 * Types that count distinct things (rules for temporal, values for value_count) decide on
 * which keys a window holds, not how often: a group that sees one rule thousands of times
 * and never the other would otherwise grow and be rescanned for ever. The newest
 * `PER_KEY_CAP` events of each key are kept; the number dropped is reported.
 */
const PER_KEY_CAP = 32;

function capPerKey(type: CorrelationType, events: WindowEvent[], event: WindowEvent): number {
  const keyOf = type === 'temporal' || type === 'temporal_ordered' ? (e: WindowEvent) => e.r : type === 'value_count' ? (e: WindowEvent) => e.v : null;
  if (!keyOf) return 0;
  const key = keyOf(event);
  let same = 0;
  let oldest = -1;
  for (let i = events.length - 1; i >= 0; i -= 1) {
    if (keyOf(events[i]!) !== key) continue;
    same += 1;
    oldest = i;
  }
  if (same <= PER_KEY_CAP) return 0;
  events.splice(oldest, 1);
  return 1;
}

/**
 * Prune what can no longer matter: events too old to share a window with any alert that
 * is still on time, and an episode no on-time alert can join. Then apply the size cap.
 */
function finish(params: WindowParams, state: GroupState, effects: WindowEffect[], watermark: number, capped = 0): WindowResult {
  const span = params.spec.timespanMs;
  const horizon = watermark - params.allowedLatenessMs - span;
  // Events of a window decided at close stay until it closes, whatever their age.
  const keepFrom = params.spec.condition.decidedAtClose ? 0 : firstAtOrAfter(state.events, horizon);
  let events = keepFrom === 0 ? state.events : state.events.slice(keepFrom);
  const episode = state.episode && state.episode.last < horizon ? null : state.episode;
  let dropped = capped;
  if (events.length > params.maxEvents) {
    dropped = events.length - params.maxEvents;
    events = events.slice(dropped);
  }
  const closeAt = params.spec.condition.decidedAtClose ? closeAtOf(events, span, params.allowedLatenessMs) : null;
  return { state: { events, episode, closeAt }, effects, dropped };
}
