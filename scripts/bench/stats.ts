/** Nearest-rank percentile of unsorted values; null for none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export function summary(values: readonly number[]): { n: number; p50: number | null; p90: number | null; p99: number | null; max: number | null } {
  return { n: values.length, p50: percentile(values, 50), p90: percentile(values, 90), p99: percentile(values, 99), max: percentile(values, 100) };
}

export const round = (value: number, digits = 0): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

export function rate(count: number, ms: number): number {
  return ms > 0 ? round((count * 1000) / ms, 1) : 0;
}

export function ratio(a: number | null, b: number | null): number | null {
  if (a === null || b === null || b === 0) return null;
  return round(a / b, 3);
}

export const fmtInt = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : Math.round(v).toLocaleString('en-US'));
export const fmtMs = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : `${Math.round(v).toLocaleString('en-US')} ms`);
export const fmtRatio = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : `${v.toFixed(2)}x`);
export const fmtMb = (kb: number | null | undefined): string => (kb === null || kb === undefined ? 'n/a' : `${Math.round(kb / 1024)} MB`);
export const fmtPct = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : `${(v * 100).toFixed(1)}%`);

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Poll until `check` returns a value or the deadline passes (then undefined). */
export async function pollUntil<T>(check: () => Promise<T | undefined>, timeoutMs: number, intervalMs: number): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) return undefined;
    await sleep(intervalMs);
  }
}
