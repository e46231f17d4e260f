import { describe, expect, it } from 'vitest';
import { makeCondition, type Bound } from './condition.ts';
import type { CorrelationSpec, CorrelationType } from './correlation-spec.ts';
import { applyEvent, closeDue, type WindowEffect, type WindowParams } from './window-core.ts';
import { emptyGroupState, type GroupState, type WindowEvent } from './window-state.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 1, 10, 0);

function params(type: CorrelationType, bounds: Bound[], opts: { span?: number; lateness?: number; rules?: number; maxEvents?: number } = {}): WindowParams {
  const spec: CorrelationSpec = {
    type, rules: Array.from({ length: opts.rules ?? 1 }, (_, i) => `r${i}`), groupBy: ['src_ip'], aliases: {},
    timespanMs: opts.span ?? 10 * MIN, condition: makeCondition(bounds), field: type.startsWith('value_') ? ['user_name'] : null, generate: false,
  };
  return { spec, allowedLatenessMs: opts.lateness ?? 5 * MIN, maxEvents: opts.maxEvents ?? 1000, incidentId: (start) => `inc@${start}` };
}

/** An event `m` minutes after T0 through rules entry `r`. */
const ev = (id: string, m: number, r = 0, v?: string | number): WindowEvent => ({ id, t: T0 + m * MIN, r, s: 50, ...(v === undefined ? {} : { v }) });

/** Feeds events in arrival order; the watermark is the max event time so far (as the stage computes it). */
function run(p: WindowParams, events: WindowEvent[], start: GroupState = emptyGroupState) {
  let state = start;
  let watermark = -Infinity;
  const effects: Array<WindowEffect & { id: string }> = [];
  for (const e of events) {
    watermark = Math.max(watermark, e.t);
    const result = applyEvent(p, state, e, watermark);
    state = result.state;
    effects.push(...result.effects.map((x) => ({ ...x, id: e.id })));
  }
  return { state, effects, watermark, kinds: effects.map((e) => `${e.id}:${e.kind}`) };
}

const opened = (effects: WindowEffect[]) => effects.filter((e): e is Extract<WindowEffect, { kind: 'opened' }> => e.kind === 'opened');

describe('event_count (sliding, inclusive bounds)', () => {
  const p = params('event_count', [{ op: 'gte', value: 3 }]);

  it.each([
    ['three in the window fire on the third', [ev('a', 0), ev('b', 4), ev('c', 9)], ['a:counted', 'b:counted', 'c:opened']],
    ['an alert exactly timespan older than the newest is inside', [ev('a', 0), ev('b', 5), ev('c', 10)], ['a:counted', 'b:counted', 'c:opened']],
    ['one millisecond more and it is outside', [ev('a', 0), ev('b', 5), { ...ev('c', 10), t: T0 + 10 * MIN + 1 }], ['a:counted', 'b:counted', 'c:counted']],
    ['later alerts within timespan of the last member join', [ev('a', 0), ev('b', 1), ev('c', 2), ev('d', 12), ev('e', 22)], ['a:counted', 'b:counted', 'c:opened', 'd:joined', 'e:joined']],
  ])('%s', (_name, events, expected) => {
    expect(run(p, events).kinds).toEqual(expected);
  });

  it('opens with the alerts that made the condition hold, with a deterministic id from the first', () => {
    const { effects } = run(p, [ev('a', 0), ev('b', 1), ev('c', 2)]);
    const [o] = opened(effects);
    expect(o!.members.map((m) => m.id)).toEqual(['a', 'b', 'c']);
    expect(o!.episode).toMatchObject({ id: `inc@${T0}`, start: T0, first: T0, last: T0 + 2 * MIN, count: 3 });
  });

  it('a gap longer than timespan ends the episode; the next firing opens a new incident', () => {
    const { effects, kinds } = run(p, [ev('a', 0), ev('b', 1), ev('c', 2), ev('d', 13), ev('e', 14), ev('f', 15)]);
    expect(kinds).toEqual(['a:counted', 'b:counted', 'c:opened', 'd:counted', 'e:counted', 'f:opened']);
    expect(opened(effects).map((o) => o.episode.id)).toEqual([`inc@${T0}`, `inc@${T0 + 13 * MIN}`]);
  });

  it('out of order within the lateness: a late alert completes a window that ends after it', () => {
    const { effects } = run(p, [ev('a', 0), ev('c', 8), ev('b', 4)]);
    const [o] = opened(effects);
    expect(o!.members.map((m) => m.id)).toEqual(['a', 'b', 'c']);
    expect(o!.episode.start).toBe(T0);
  });

  it('the same set of alerts gives the same incident id in any arrival order', () => {
    const events = [ev('a', 0), ev('b', 2), ev('c', 4)];
    const ids = [[0, 1, 2], [2, 1, 0], [1, 2, 0], [2, 0, 1]].map((order) => opened(run(p, order.map((i) => events[i]!)).effects)[0]!.episode.id);
    expect(new Set(ids)).toEqual(new Set([`inc@${T0}`]));
  });

  it('an alert older than the watermark minus the allowed lateness is late, never silently dropped', () => {
    const { kinds } = run(p, [ev('a', 60), ev('b', 54), ev('c', 56)]);
    expect(kinds).toEqual(['a:counted', 'b:late', 'c:counted']);
  });

  it('a redelivered event is recognised and changes nothing', () => {
    const first = run(p, [ev('a', 0), ev('b', 1)]);
    const again = applyEvent(p, first.state, ev('b', 1), first.watermark);
    expect(again.effects.map((e) => e.kind)).toEqual(['duplicate']);
    expect(again.state).toBe(first.state);
  });

  it('prunes events no on-time alert can share a window with', () => {
    const { state } = run(p, [ev('a', 0), ev('b', 100)]);
    expect(state.events.map((e) => e.id)).toEqual(['b']);
  });

  it('caps the events kept per group and reports how many it dropped', () => {
    const capped = params('event_count', [{ op: 'gte', value: 100 }], { maxEvents: 3 });
    let state = emptyGroupState;
    let dropped = 0;
    for (let i = 0; i < 5; i += 1) {
      const r = applyEvent(capped, state, ev(`e${i}`, i / 10), T0 + (i / 10) * MIN);
      state = r.state;
      dropped += r.dropped;
    }
    expect(state.events.map((e) => e.id)).toEqual(['e2', 'e3', 'e4']);
    expect(dropped).toBe(2);
  });
});

describe('operators decided eagerly', () => {
  it.each<[string, Bound[], number, boolean]>([
    ['gt 2 with 2', [{ op: 'gt', value: 2 }], 2, false],
    ['gt 2 with 3', [{ op: 'gt', value: 2 }], 3, true],
    ['gte 2 with 2', [{ op: 'gte', value: 2 }], 2, true],
    ['gte 4 with 3', [{ op: 'gte', value: 4 }], 3, false],
  ])('%s', (_n, bounds, count, fires) => {
    const events = Array.from({ length: count }, (_, i) => ev(`e${i}`, i));
    expect(opened(run(params('event_count', bounds), events).effects).length > 0).toBe(fires);
  });
});

describe('conditions decided at window close (lt, lte, eq, neq, ranges)', () => {
  function closeAfter(bounds: Bound[], count: number) {
    const p = params('event_count', bounds, { lateness: 0 });
    const fed = run(p, Array.from({ length: count }, (_, i) => ev(`e${i}`, i)));
    expect(fed.effects.every((e) => e.kind === 'counted')).toBe(true); // nothing is decided before the close
    return closeDue(p, fed.state, T0 + 11 * MIN);
  }

  it.each<[string, Bound[], number, boolean]>([
    ['lt 3 with 2', [{ op: 'lt', value: 3 }], 2, true],
    ['lt 3 with 3', [{ op: 'lt', value: 3 }], 3, false],
    ['lte 3 with 3', [{ op: 'lte', value: 3 }], 3, true],
    ['eq 2 with 2', [{ op: 'eq', value: 2 }], 2, true],
    ['eq 2 with 3', [{ op: 'eq', value: 2 }], 3, false],
    ['neq 2 with 3', [{ op: 'neq', value: 2 }], 3, true],
    ['range gt 1 lte 3 with 3', [{ op: 'gt', value: 1 }, { op: 'lte', value: 3 }], 3, true],
    ['range gt 1 lte 3 with 4', [{ op: 'gt', value: 1 }, { op: 'lte', value: 3 }], 4, false],
    ['range gt 1 lte 3 with 1', [{ op: 'gt', value: 1 }, { op: 'lte', value: 3 }], 1, false],
  ])('%s', (_n, bounds, count, fires) => {
    const result = closeAfter(bounds, count);
    expect(result.effects.map((e) => e.kind)).toEqual([fires ? 'opened' : 'expired']);
    expect(result.state.events).toEqual([]);
  });

  it('waits while the watermark has not passed the window end plus the lateness', () => {
    const p = params('event_count', [{ op: 'lt', value: 5 }], { lateness: 2 * MIN });
    const fed = run(p, [ev('a', 0)]);
    expect(fed.state.closeAt).toBe(T0 + 12 * MIN);
    expect(closeDue(p, fed.state, T0 + 12 * MIN).effects).toEqual([]);
    expect(closeDue(p, fed.state, T0 + 12 * MIN + 1).effects.map((e) => e.kind)).toEqual(['opened']);
  });
});

describe('value_count, value_sum, value_avg, value_median, value_min, value_max', () => {
  it.each<[CorrelationType, Bound[], Array<string | number>, boolean]>([
    ['value_count', [{ op: 'gte', value: 3 }], ['alice', 'bob', 'alice', 'carol'], true],
    ['value_count', [{ op: 'gte', value: 3 }], ['alice', 'bob', 'alice', 'bob'], false],
    ['value_sum', [{ op: 'gt', value: 100 }], [40, 40, 30], true],
    ['value_sum', [{ op: 'gt', value: 100 }], [40, 40, 20], false],
    ['value_avg', [{ op: 'gte', value: 50 }], [40, 60, 50], true],
    ['value_avg', [{ op: 'gte', value: 50 }], [10, 20, 30], false],
    ['value_max', [{ op: 'gte', value: 90 }], [10, 95], true],
    ['value_min', [{ op: 'gte', value: 90 }], [100, 95], true],
    ['value_median', [{ op: 'gte', value: 50 }], [10, 90, 50], true],
    // Medians 10, 15, 20 as the window grows: one large value does not carry it as it carries an average.
    ['value_median', [{ op: 'gte', value: 50 }], [10, 20, 900], false],
    // An even count takes the mean of the two middle values: 25 only with the fourth.
    ['value_median', [{ op: 'gte', value: 25 }], [10, 20, 30, 40], true],
    ['value_median', [{ op: 'gte', value: 25 }], [10, 20, 30], false],
  ])('%s %j over %j fires: %s', (type, bounds, values, fires) => {
    const events = values.map((v, i) => ev(`e${i}`, i, 0, v));
    expect(opened(run(params(type, bounds), events).effects).length > 0).toBe(fires);
  });
});

describe('temporal and temporal_ordered', () => {
  const temporal = params('temporal', [{ op: 'gte', value: 3 }], { rules: 3 });
  const ordered = params('temporal_ordered', [{ op: 'gte', value: 3 }], { rules: 3 });

  it('temporal needs every referenced rule in the window, in any order', () => {
    expect(opened(run(temporal, [ev('c', 0, 2), ev('a', 1, 0), ev('a2', 2, 0), ev('b', 3, 1)]).effects)).toHaveLength(1);
    expect(opened(run(temporal, [ev('a', 0, 0), ev('a2', 1, 0), ev('b', 3, 1)]).effects)).toHaveLength(0);
    expect(opened(run(temporal, [ev('a', 0, 0), ev('b', 1, 1), ev('c', 11, 2)]).effects)).toHaveLength(0);
  });

  it('temporal with a count of distinct rules', () => {
    const twoOfThree = params('temporal', [{ op: 'gte', value: 2 }], { rules: 3 });
    expect(opened(run(twoOfThree, [ev('a', 0, 0), ev('c', 1, 2)]).effects)).toHaveLength(1);
  });

  it.each<[string, WindowEvent[], boolean]>([
    ['in order', [ev('a', 0, 0), ev('b', 1, 1), ev('c', 2, 2)], true],
    ['in order with noise between', [ev('c0', 0, 2), ev('a', 1, 0), ev('a2', 2, 0), ev('b', 3, 1), ev('c', 4, 2)], true],
    ['reversed', [ev('c', 0, 2), ev('b', 1, 1), ev('a', 2, 0)], false],
    ['two steps swapped', [ev('a', 0, 0), ev('c', 1, 2), ev('b', 2, 1)], false],
    ['in event-time order but arriving reversed', [ev('c', 2, 2), ev('b', 1, 1), ev('a', 0, 0)], true],
    ['in order but too far apart', [ev('a', 0, 0), ev('b', 5, 1), ev('c', 11, 2)], false],
  ])('temporal_ordered %s', (_n, events, fires) => {
    expect(opened(run(ordered, events).effects)).toHaveLength(fires ? 1 : 0);
  });
});
