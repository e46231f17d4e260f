import { dependencyUnavailable } from '@vigil/errors';
import { compileTenantSettings, type DedupSettingsRow, type TenantSettings } from './dedup-settings.ts';

export interface SettingsCacheOptions {
  /** A tenant's rows; throws when Postgres does not answer. */
  readonly load: (tenantId: string) => Promise<readonly DedupSettingsRow[]>;
  readonly ttlMs: number;
  readonly clock: () => number;
  /** Told about ignored rows and about serving stale settings during an outage. */
  readonly warn: (detail: Record<string, unknown>, message: string) => void;
}

export interface SettingsCache {
  /** Fresh settings, or stale ones while Postgres is down; cold and down: DEPENDENCY_UNAVAILABLE. */
  get(tenantId: string): Promise<TenantSettings>;
  /** Some tenant's settings are cached, so an outage of Postgres need not stop dedup. */
  warm(): boolean;
}

interface Entry {
  readonly settings: TenantSettings;
  readonly loadedAt: number;
}

/**
 * Per-tenant settings with a short TTL. A failed refresh keeps serving what it had
 * (settings change rarely; stopping dedup for a Postgres blip would be worse); only a
 * tenant never loaded fails, and then the stage pauses rather than guess.
 */
export function createSettingsCache(options: SettingsCacheOptions): SettingsCache {
  const entries = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<TenantSettings>>();

  async function refresh(tenantId: string): Promise<TenantSettings> {
    const cached = entries.get(tenantId);
    let rows: readonly DedupSettingsRow[];
    try {
      rows = await options.load(tenantId);
    } catch (err) {
      if (cached === undefined) throw dependencyUnavailable('postgres', err);
      options.warn({ tenant: tenantId, err, ageMs: options.clock() - cached.loadedAt }, 'dedup settings refresh failed; using cached settings');
      // Try again after another TTL, not on every record: each try may wait for a timeout.
      entries.set(tenantId, { settings: cached.settings, loadedAt: options.clock() });
      return cached.settings;
    }
    const settings = compileTenantSettings(rows);
    if (settings.problems.length > 0) options.warn({ tenant: tenantId, problems: settings.problems }, 'invalid dedup settings rows ignored');
    entries.set(tenantId, { settings, loadedAt: options.clock() });
    return settings;
  }

  return {
    async get(tenantId) {
      const cached = entries.get(tenantId);
      if (cached !== undefined && options.clock() - cached.loadedAt < options.ttlMs) return cached.settings;
      // One load per tenant at a time, however many partitions ask.
      let pending = inFlight.get(tenantId);
      if (pending === undefined) {
        pending = refresh(tenantId).finally(() => inFlight.delete(tenantId));
        inFlight.set(tenantId, pending);
      }
      return pending;
    },
    warm: () => entries.size > 0,
  };
}
