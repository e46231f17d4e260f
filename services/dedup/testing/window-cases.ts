import type { DedupDecision } from '../src/dedup-decision.ts';

/**
 * Named sequences of one fingerprint's alerts with the decisions the state machine must
 * give: run through the pure model by the unit tests and through the Redis script by
 * tests/integration/dedup-lua.test.ts. Times are ms; W = 1000, L = 300.
 */
export const W = 1000;
export const L = 300;
export const NOW = 1_000_000;

/** [alert id, event time, worker clock (default NOW)] */
export type CaseEvent = readonly [string, number] | readonly [string, number, number];

export type WindowCase = readonly [name: string, events: readonly CaseEvent[], expected: readonly DedupDecision[]];

const canonical = (replay = false): DedupDecision => ({ kind: 'canonical', replay });
const late = (replay = false): DedupDecision => ({ kind: 'late', replay });
const dup = (canonicalId: string, canonicalEventTime: number, count: number, firstSeen: number, lastSeen: number, replay = false): DedupDecision => ({
  kind: 'duplicate',
  replay,
  canonicalId,
  canonicalEventTime,
  count,
  firstSeen,
  lastSeen,
});

export const windowCases: readonly WindowCase[] = [
  ['first alert opens a window', [['a', 100]], [canonical()]],
  ['later ones count with absolute values', [['a', 100], ['b', 150], ['c', 120]], [canonical(), dup('a', 100, 2, 100, 150), dup('a', 100, 3, 100, 150)]],
  ['last instant of the window still counts', [['a', 100], ['b', 100 + W - 1]], [canonical(), dup('a', 100, 2, 100, 100 + W - 1)]],
  ['window end opens a new window', [['a', 100], ['b', 100 + W], ['c', 100 + W + 5]], [canonical(), canonical(), dup('b', 100 + W, 2, 100 + W, 105 + W)]],
  ['earlier within lateness counts; first_seen = min', [['a', 1000], ['b', 1000 - L]], [canonical(), dup('a', 1000, 2, 1000 - L, 1000)]],
  ['earlier beyond lateness: forwarded alone, window untouched', [['a', 1000], ['b', 1000 - L - 1], ['c', 1001]], [canonical(), late(), dup('a', 1000, 2, 1000, 1001)]],
  ['window end stays anchored at the canonical, not at first_seen', [['a', 1000], ['b', 800], ['c', 1000 + W - 1], ['d', 1000 + W]], [canonical(), dup('a', 1000, 2, 800, 1000), dup('a', 1000, 3, 800, 1999), canonical()]],
  ['redelivered canonical is canonical again', [['a', 100], ['b', 110], ['a', 100]], [canonical(), dup('a', 100, 2, 100, 110), canonical(true)]],
  [
    'redelivered duplicate does not count twice and carries the latest values',
    [['a', 100], ['b', 110], ['c', 120], ['b', 110]],
    [canonical(), dup('a', 100, 2, 100, 110), dup('a', 100, 3, 100, 120), dup('a', 100, 3, 100, 120, true)],
  ],
  ['redelivered late alert is late again', [['a', 1000], ['b', 1], ['b', 1]], [canonical(), late(), late(true)]],
  [
    'redelivery after the window closed carries its final values',
    [['a', 100], ['b', 110], ['c', 150], ['d', 100 + W], ['b', 110]],
    [canonical(), dup('a', 100, 2, 100, 110), dup('a', 100, 3, 100, 150), canonical(), dup('a', 100, 3, 100, 150, true)],
  ],
  [
    'a closed window is forgotten keep after closing; then the values as recorded',
    [['a', 100, NOW], ['b', 110, NOW], ['c', 150, NOW], ['d', 100 + W, NOW + 1], ['b', 110, NOW + W + L - 1], ['f', 100 + 2 * W, NOW + W + L + 1], ['b', 110, NOW + W + L + 2]],
    [canonical(), dup('a', 100, 2, 100, 110), dup('a', 100, 3, 100, 150), canonical(), dup('a', 100, 3, 100, 150, true), canonical(), dup('a', 100, 2, 100, 110, true)],
  ],
  ['window expires after window+lateness of worker clock', [['a', 100, NOW], ['b', 110, NOW + W + L]], [canonical(), canonical()]],
  ['a window touched recently is live', [['a', 100, NOW], ['b', 110, NOW + W + L - 1]], [canonical(), dup('a', 100, 2, 100, 110)]],
  [
    'canonical whose memory lapsed while duplicates kept the window live is still canonical',
    [['a', 100, NOW], ['b', 110, NOW + W], ['a', 100, NOW + W + L + 1], ['c', 120, NOW + W + L + 2]],
    [canonical(), dup('a', 100, 2, 100, 110), canonical(true), dup('a', 100, 3, 100, 120)],
  ],
  ['an id forgotten after window+lateness is decided afresh', [['a', 100, NOW], ['a', 100, NOW + W + L]], [canonical(), canonical()]],
];
