import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DedupDecision } from './dedup-decision.ts';
import { L, NOW, W, windowCases, type CaseEvent } from '../testing/window-cases.ts';
import { createModelStore, emptyFingerprintState, step, type FingerprintState, type StepInput } from './window-model.ts';

const input = (alertId: string, eventTime: number, now = NOW): StepInput => ({ alertId, eventTime, windowMs: W, latenessMs: L, now });

function run(events: readonly CaseEvent[]): { decisions: DedupDecision[]; state: FingerprintState } {
  let state = emptyFingerprintState;
  const decisions: DedupDecision[] = [];
  for (const [id, t, now] of events) {
    const result = step(state, input(id, t, now));
    state = result.state;
    decisions.push(result.decision);
  }
  return { decisions, state };
}

describe('window state machine: table', () => {
  it.each(windowCases)('%s', (_name, events, expected) => {
    expect(run(events).decisions).toEqual(expected);
  });

  it('forgets ids no longer needed', () => {
    const { state } = run([['a', 100, NOW], ['b', 110, NOW + 10], ['c', 5000, NOW + W + L + 10]]);
    expect([...state.memory.keys()]).toEqual(['c']);
  });
});

// ---- properties -------------------------------------------------------------------

interface Ev {
  readonly tenantId: string;
  readonly fingerprint: string;
  readonly alertId: string;
  readonly eventTime: number;
}

/** The alert index as the indexer builds it: canonical docs and their dedup fields. */
interface Doc {
  count: number;
  first: number;
  last: number;
}

function applyToIndex(index: Map<string, Doc>, ev: Ev, decision: DedupDecision): void {
  if (decision.kind === 'duplicate') {
    index.set(decision.canonicalId, { count: decision.count, first: decision.firstSeen, last: decision.lastSeen });
  } else if (!index.has(ev.alertId)) {
    // An alert never overwrites the dedup fields of a doc that exists.
    index.set(ev.alertId, { count: 1, first: ev.eventTime, last: ev.eventTime });
  }
}

function deliver(deliveries: readonly Ev[]) {
  const store = createModelStore();
  const index = new Map<string, Doc>();
  const decisions = new Map<string, DedupDecision[]>();
  for (const ev of deliveries) {
    const decision = store.step({ ...ev, windowMs: W, latenessMs: L, now: NOW });
    applyToIndex(index, ev, decision);
    decisions.set(ev.alertId, [...(decisions.get(ev.alertId) ?? []), decision]);
  }
  return { index, decisions, store };
}

const eventsArb = fc
  .array(fc.record({ tenantId: fc.constantFrom('t1', 't2'), fingerprint: fc.constantFrom('f1', 'f2', 'f3'), eventTime: fc.integer({ min: 0, max: 5 * W }) }), { maxLength: 60 })
  .map((evs): Ev[] => evs.map((e, i) => ({ ...e, alertId: `a${i}` })));

/** Crashes while handling: after processing up to `upTo`, restart from `from` (the last commit). */
const crashesArb = fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 4 });

/** What Kafka delivers when the worker crashes at those points: committed offsets never go back. */
function withRedeliveries(events: readonly Ev[], crashes: readonly (readonly [number, number])[]): Ev[] {
  const out: Ev[] = [];
  let committed = 0;
  for (const [a, b] of crashes) {
    const upTo = committed + (events.length - committed === 0 ? 0 : a % (events.length - committed + 1));
    const from = committed + (upTo - committed === 0 ? 0 : b % (upTo - committed + 1));
    out.push(...events.slice(committed, upTo));
    committed = from;
  }
  out.push(...events.slice(committed));
  return out;
}

function sameDecision(d: DedupDecision, first: DedupDecision): boolean {
  if (d.kind !== 'duplicate' || first.kind !== 'duplicate') return d.kind === first.kind;
  return d.canonicalId === first.canonicalId && d.canonicalEventTime === first.canonicalEventTime && d.count >= first.count && d.firstSeen <= first.firstSeen && d.lastSeen >= first.lastSeen;
}

describe('window state machine: properties', () => {
  it('replaying any prefix (crash after the Redis write, before the commit) changes nothing', () => {
    fc.assert(
      fc.property(eventsArb, crashesArb, (events, crashes) => {
        const clean = deliver(events);
        const replayed = deliver(withRedeliveries(events, crashes));
        expect(replayed.index).toEqual(clean.index);
        for (const ev of events) {
          const first = clean.decisions.get(ev.alertId)![0]!;
          // Every delivery of an id gets the same decision (a duplicate of the same canonical
          // alert, counted once), with values never older than the first time.
          for (const d of replayed.decisions.get(ev.alertId)!) expect(sameDecision(d, first)).toBe(true);
        }
        for (const t of ['t1', 't2']) for (const f of ['f1', 'f2', 'f3']) expect(replayed.store.stateOf(t, f).window).toEqual(clean.store.stateOf(t, f).window);
      }),
      { numRuns: 500 },
    );
  });

  it('a second consumer reading any stretch, interleaved with the first, changes nothing', () => {
    // Two consumer groups (or a zombie after a rebalance) share the Redis state and the
    // index applies their outputs in whatever order they come. Whoever decides an alert
    // first decides it for both: the index must be that of a clean run over the alerts
    // in the order they were first decided, never one moved back by a late re-send.
    const interleavingArb = fc
      .array(fc.record({ tenantId: fc.constant('t1'), fingerprint: fc.constantFrom('f1', 'f2'), eventTime: fc.integer({ min: 0, max: 2 * W }) }), { minLength: 2, maxLength: 40 })
      .map((evs): Ev[] => evs.map((e, i) => ({ ...e, alertId: `a${i}` })))
      .chain((events) =>
        fc.tuple(
          fc.constant(events),
          fc.integer({ min: 0, max: events.length }).chain((from) => fc.tuple(fc.constant(from), fc.integer({ min: from, max: events.length }))),
          fc.array(fc.boolean(), { minLength: 1, maxLength: 80 }),
        ),
      );
    fc.assert(
      fc.property(interleavingArb, ([events, [from, to], turns]) => {
        const second = events.slice(from, to);
        const store = createModelStore();
        const index = new Map<string, Doc>();
        const firstDecided: Ev[] = [];
        let i = 0;
        let j = 0;
        let turn = 0;
        while (i < events.length || j < second.length) {
          const useSecond = j < second.length && (i >= events.length || turns[turn++ % turns.length] === true);
          const ev = useSecond ? second[j++]! : events[i++]!;
          if (!firstDecided.includes(ev)) firstDecided.push(ev);
          applyToIndex(index, ev, store.step({ ...ev, windowMs: W, latenessMs: L, now: NOW }));
        }
        expect(index).toEqual(deliver(firstDecided).index);
      }),
      { numRuns: 500 },
    );
  });

  it('the order of duplicates does not change the final count, first_seen or last_seen', () => {
    const windowArb = fc.record({
      anchor: fc.integer({ min: 10_000, max: 20_000 }),
      offsets: fc.array(fc.integer({ min: -L, max: W - 1 }), { minLength: 1, maxLength: 40 }),
    });
    fc.assert(
      fc.property(
        fc.array(windowArb, { minLength: 1, maxLength: 3 }).chain((windows) => {
          const canonicals: Ev[] = windows.map((w, i) => ({ tenantId: 't', fingerprint: `f${i}`, alertId: `c${i}`, eventTime: w.anchor }));
          const dups: Ev[] = windows.flatMap((w, i) => w.offsets.map((o, j) => ({ tenantId: 't', fingerprint: `f${i}`, alertId: `d${i}-${j}`, eventTime: w.anchor + o })));
          return fc.tuple(fc.constant(windows), fc.constant(canonicals), fc.constant(dups), fc.shuffledSubarray(dups, { minLength: dups.length, maxLength: dups.length }));
        }),
        ([windows, canonicals, dups, shuffled]) => {
          const inOrder = deliver([...canonicals, ...dups]);
          const reordered = deliver([...canonicals, ...shuffled]);
          expect(reordered.index).toEqual(inOrder.index);
          windows.forEach((w, i) => {
            const times = [w.anchor, ...w.offsets.map((o) => w.anchor + o)];
            expect(reordered.index.get(`c${i}`)).toEqual({ count: times.length, first: Math.min(...times), last: Math.max(...times) });
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('every alert is accounted for exactly once: forwarded, or counted in one window', () => {
    fc.assert(
      fc.property(eventsArb, (events) => {
        const { index, decisions } = deliver(events);
        const forwarded = events.filter((ev) => decisions.get(ev.alertId)![0]!.kind !== 'duplicate').length;
        expect(index.size).toBe(forwarded);
        expect([...index.values()].reduce((sum, doc) => sum + doc.count, 0)).toBe(events.length);
      }),
      { numRuns: 300 },
    );
  });

  it('windows never overlap and every duplicate lies in [anchor - lateness, anchor + window)', () => {
    fc.assert(
      fc.property(eventsArb, (events) => {
        const { decisions } = deliver(events);
        for (const ev of events) {
          const d = decisions.get(ev.alertId)![0]!;
          if (d.kind !== 'duplicate') continue;
          expect(ev.eventTime).toBeGreaterThanOrEqual(d.canonicalEventTime - L);
          expect(ev.eventTime).toBeLessThan(d.canonicalEventTime + W);
          expect(d.firstSeen).toBeLessThanOrEqual(ev.eventTime);
          expect(d.lastSeen).toBeGreaterThanOrEqual(ev.eventTime);
        }
      }),
      { numRuns: 300 },
    );
  });
});
