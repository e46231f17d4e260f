/**
 * Redis key names of dedup state. The tenant is a hash tag, so every key of one
 * tenant's fingerprint lands in one slot (the script touches three at once) and a
 * tenant's state can be found, counted or purged by prefix.
 */
export interface DedupKeys {
  /** Hash: the live window of the fingerprint. */
  readonly window: string;
  /** Hash: alert id -> the decision recorded for it. */
  readonly decisions: string;
  /** Sorted set: alert id -> when it was last decided (worker clock). */
  readonly seen: string;
  /** Hash: canonical id -> final values of a window a newer one replaced. */
  readonly closed: string;
}

const PREFIX = 'vigil:dedup:';

/** Tenant ids are validated upstream (`tenantIdSchema`): no braces or colons. */
export function dedupKeys(tenantId: string, fingerprint: string): DedupKeys {
  const window = `${PREFIX}{${tenantId}}:${fingerprint}`;
  return { window, decisions: `${window}:ids`, seen: `${window}:seen`, closed: `${window}:closed` };
}

/** SCAN pattern matching every dedup key (windows and their companions). */
export const DEDUP_KEY_PATTERN = `${PREFIX}{*}:*`;

/** Redis glob metacharacters, escaped when a tenant id goes into a pattern. */
const globSpecial = /[*?[\]\\]/g;

/**
 * SCAN pattern for window keys, of every tenant or of one. A fingerprint is hex, so a
 * window key ends in a hex digit: the `:ids` and `:seen` companions (two of the three
 * keys of every fingerprint) never match and so never cost a counting budget; a
 * `:closed` companion (ends in `d`) still may, and is told apart by tenantOfWindowKey.
 */
export function dedupWindowPattern(tenantId?: string): string {
  return `${PREFIX}{${tenantId === undefined ? '*' : tenantId.replace(globSpecial, '\\$&')}}:*[0-9a-f]`;
}

const windowKey = /^vigil:dedup:\{([^}]+)\}:[0-9a-f]+$/;

/** The tenant of a window key, or null for any other key (companions included). */
export function tenantOfWindowKey(key: string): string | null {
  return windowKey.exec(key)?.[1] ?? null;
}
