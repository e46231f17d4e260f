import type { ServiceName } from './dev-context.ts';

/**
 * V8 old-space limit per service, in MB. Without one V8 sizes the heap from the machine's
 * memory (gigabytes here) and lets garbage pile up between full collections: under 2x
 * overload the gateway reached 294 MB resident; with 128 MB of old space it stays near
 * 187 MB and accepts as much (scripts/bench/experiments/gateway-overload.ts, commit
 * message). Each limit is a few times the service's live set, which admission control
 * (gateway), fetch sizes (workers) and caps (query API) bound; the query API runs
 * simulations in-process, hence its larger one.
 */
export const heapLimitsMb: Readonly<Record<ServiceName, number>> = Object.freeze({
  'ingest-api': 128,
  'query-api': 512,
  dedup: 160,
  indexer: 192,
  correlate: 256,
});

/** `VIGIL_MAX_OLD_SPACE_MB_<SERVICE>` (e.g. `..._INGEST_API`) overrides a limit; 0 leaves V8's default. */
export function heapLimitArgs(name: ServiceName, env: Readonly<Record<string, string | undefined>>): string[] {
  const override = env[`VIGIL_MAX_OLD_SPACE_MB_${name.toUpperCase().replace(/-/g, '_')}`];
  const mb = override === undefined || override === '' ? heapLimitsMb[name] : Number(override);
  if (!Number.isInteger(mb) || mb < 0) throw new Error(`VIGIL_MAX_OLD_SPACE_MB_${name.toUpperCase().replace(/-/g, '_')} must be a whole number of MB (got ${override})`);
  return mb === 0 ? [] : [`--max-old-space-size=${mb}`];
}
