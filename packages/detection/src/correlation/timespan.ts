const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Longest window Vigil keeps state for; a longer one would hold unbounded state per group. */
export const MAX_TIMESPAN_MS = 30 * UNIT_MS.d!;

/** `30s`, `5m`, `1h`, `2d` (Sigma: a number and one lowercase unit) in milliseconds; null if malformed. */
export function parseTimespan(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const match = /^([1-9][0-9]{0,6})([smhd])$/.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

/** The inverse, for export and messages: the largest unit that divides evenly. */
export function formatTimespan(ms: number): string {
  for (const unit of ['d', 'h', 'm'] as const) {
    if (ms % UNIT_MS[unit]! === 0) return `${ms / UNIT_MS[unit]!}${unit}`;
  }
  return `${Math.round(ms / 1000)}s`;
}
