import type { DedupDecision, DedupStepInput } from './dedup-decision.ts';

/**
 * The pure reference model of one fingerprint's dedup state machine. The Redis script
 * (store/dedup-step.lua, beside this file) implements exactly these rules; the property
 * tests run against this model and an integration test checks the script agrees.
 */
export interface WindowState {
  readonly canonicalId: string;
  /** The canonical alert's event time: the window's anchor. */
  readonly canonicalEventTime: number;
  /** Exclusive: an alert at or after it opens a new window. */
  readonly windowEnd: number;
  readonly count: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  /** Worker clock of the last change; the window is live while touched + keep > now. */
  readonly touched: number;
}

interface Remembered {
  readonly decision: DedupDecision;
  /** Worker clock when last decided; remembered while seen + keep > now. */
  readonly seen: number;
}

/** A window a newer one replaced: its final values, for redelivered duplicates. */
interface ClosedWindow {
  readonly canonicalEventTime: number;
  readonly count: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  /** Worker clock when it was replaced; kept while closedAt + keep > now. */
  readonly closedAt: number;
}

export interface FingerprintState {
  /** The live window, or the last one (no longer live) until a new one replaces it. */
  readonly window: WindowState | null;
  readonly memory: ReadonlyMap<string, Remembered>;
  readonly closed: ReadonlyMap<string, ClosedWindow>;
}

export const emptyFingerprintState: FingerprintState = { window: null, memory: new Map(), closed: new Map() };

export type StepInput = Omit<DedupStepInput, 'tenantId' | 'fingerprint'>;

export interface StepResult {
  readonly state: FingerprintState;
  readonly decision: DedupDecision;
}

/** keep = window + lateness: how long a window stays live and an alert id is remembered. */
export function retentionMs(input: Pick<StepInput, 'windowMs' | 'latenessMs'>): number {
  return input.windowMs + input.latenessMs;
}

/**
 * A recorded decision given again. A duplicate carries its window's latest values (the
 * current window's, else a closed window's final ones, else what it had when decided):
 * never older than anything published before, so a lagging or replaying consumer cannot
 * move a canonical alert's count back.
 */
function replayed(state: FingerprintState, recorded: DedupDecision): DedupDecision {
  if (recorded.kind !== 'duplicate') return { ...recorded, replay: true };
  const { window } = state;
  const latest = window !== null && window.canonicalId === recorded.canonicalId ? window : state.closed.get(recorded.canonicalId);
  if (latest === undefined) return { ...recorded, replay: true };
  return { ...recorded, replay: true, canonicalEventTime: latest.canonicalEventTime, count: latest.count, firstSeen: latest.firstSeen, lastSeen: latest.lastSeen };
}

export function step(state: FingerprintState, input: StepInput): StepResult {
  const { alertId: id, eventTime: t, now, latenessMs } = input;
  const keep = retentionMs(input);
  const memory = new Map([...state.memory].filter(([, m]) => m.seen + keep > now));
  const remember = (decision: DedupDecision) => memory.set(id, { decision: { ...decision, replay: false }, seen: now });
  const { closed } = state;

  // 1. A remembered alert id gets its recorded decision again.
  const remembered = memory.get(id);
  if (remembered !== undefined) {
    memory.set(id, { decision: remembered.decision, seen: now });
    return { state: { window: state.window, memory, closed }, decision: replayed(state, remembered.decision) };
  }

  const live = state.window !== null && state.window.touched + keep > now ? state.window : null;

  // 2. The live window's canonical alert is canonical again, even if its own memory lapsed.
  if (live !== null && live.canonicalId === id) {
    remember({ kind: 'canonical', replay: false });
    return { state: { window: state.window, memory, closed }, decision: { kind: 'canonical', replay: true } };
  }

  // 3. Within the window, or before its anchor by at most the lateness: count it.
  if (live !== null && t >= live.canonicalEventTime - latenessMs && t < live.windowEnd) {
    const window: WindowState = { ...live, count: live.count + 1, firstSeen: Math.min(live.firstSeen, t), lastSeen: Math.max(live.lastSeen, t), touched: now };
    const decision: DedupDecision = {
      kind: 'duplicate',
      replay: false,
      canonicalId: window.canonicalId,
      canonicalEventTime: window.canonicalEventTime,
      count: window.count,
      firstSeen: window.firstSeen,
      lastSeen: window.lastSeen,
    };
    remember(decision);
    return { state: { window, memory, closed }, decision };
  }

  // 4. Too late for the live window: forwarded on its own; the window is untouched.
  if (live !== null && t < live.canonicalEventTime - latenessMs) {
    const decision: DedupDecision = { kind: 'late', replay: false };
    remember(decision);
    return { state: { window: state.window, memory, closed }, decision };
  }

  // 5. No live window, or at/after its end: this alert opens a new window. The old
  //    window's final values stay for redelivered duplicates; long-closed ones go.
  const stillClosed = new Map([...closed].filter(([, c]) => c.closedAt + keep > now));
  const old = state.window;
  if (old !== null) {
    stillClosed.set(old.canonicalId, { canonicalEventTime: old.canonicalEventTime, count: old.count, firstSeen: old.firstSeen, lastSeen: old.lastSeen, closedAt: now });
  }
  const window: WindowState = { canonicalId: id, canonicalEventTime: t, windowEnd: t + input.windowMs, count: 1, firstSeen: t, lastSeen: t, touched: now };
  const decision: DedupDecision = { kind: 'canonical', replay: false };
  remember(decision);
  return { state: { window, memory, closed: stillClosed }, decision };
}

/** The model over many fingerprints, shaped like the Redis-backed DedupStore. */
export interface ModelStore {
  step(input: DedupStepInput): DedupDecision;
  stateOf(tenantId: string, fingerprint: string): FingerprintState;
}

export function createModelStore(): ModelStore {
  const states = new Map<string, FingerprintState>();
  const keyOf = (tenantId: string, fingerprint: string) => `${tenantId}\u0000${fingerprint}`;
  return {
    step(input) {
      const key = keyOf(input.tenantId, input.fingerprint);
      const result = step(states.get(key) ?? emptyFingerprintState, input);
      states.set(key, result.state);
      return result.decision;
    },
    stateOf: (tenantId, fingerprint) => states.get(keyOf(tenantId, fingerprint)) ?? emptyFingerprintState,
  };
}
