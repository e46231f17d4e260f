import { describe, expect, it } from 'vitest';
import { isVigilError } from '@vigil/errors';
import type { DedupSettingsRow } from './dedup-settings.ts';
import { createSettingsCache } from './settings-cache.ts';

function harness() {
  let now = 0;
  let down = false;
  let loads = 0;
  let rows: DedupSettingsRow[] = [{ rule_id: null, fields: ['host'], window_seconds: 60 }];
  const warnings: string[] = [];
  const cache = createSettingsCache({
    ttlMs: 30_000,
    clock: () => now,
    warn: (_detail, message) => warnings.push(message),
    load: async () => {
      loads++;
      if (down) throw new Error('connect ECONNREFUSED');
      return rows;
    },
  });
  return {
    cache,
    warnings,
    loads: () => loads,
    advance: (ms: number) => (now += ms),
    setDown: (value: boolean) => (down = value),
    setRows: (value: DedupSettingsRow[]) => (rows = value),
  };
}

describe('settings cache', () => {
  it('loads once per TTL and picks up changes after it', async () => {
    const h = harness();
    expect((await h.cache.get('acme')).tenant.windowMs).toBe(60_000);
    h.setRows([{ rule_id: null, fields: null, window_seconds: 120 }]);
    h.advance(29_999);
    expect((await h.cache.get('acme')).tenant.windowMs).toBe(60_000);
    h.advance(1);
    expect((await h.cache.get('acme')).tenant.windowMs).toBe(120_000);
    expect(h.loads()).toBe(2);
  });

  it('shares one load between concurrent callers', async () => {
    const h = harness();
    await Promise.all([h.cache.get('acme'), h.cache.get('acme'), h.cache.get('acme')]);
    expect(h.loads()).toBe(1);
  });

  it('cold and Postgres down: DEPENDENCY_UNAVAILABLE, so the stage pauses', async () => {
    const h = harness();
    h.setDown(true);
    const error = await h.cache.get('acme').catch((e: unknown) => e);
    expect(isVigilError(error) && error.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(h.cache.warm()).toBe(false);
  });

  it('warm and Postgres down: serves stale settings, retries once per TTL', async () => {
    const h = harness();
    await h.cache.get('acme');
    h.setDown(true);
    h.advance(31_000);
    expect((await h.cache.get('acme')).tenant.windowMs).toBe(60_000);
    expect((await h.cache.get('acme')).tenant.windowMs).toBe(60_000);
    expect(h.loads()).toBe(2);
    expect(h.warnings).toEqual(['dedup settings refresh failed; using cached settings']);
    expect(h.cache.warm()).toBe(true);
  });

  it('reports ignored rows', async () => {
    const h = harness();
    h.setRows([{ rule_id: 'r', fields: ['nope'], window_seconds: null }]);
    expect((await h.cache.get('acme')).byRule.size).toBe(0);
    expect(h.warnings).toEqual(['invalid dedup settings rows ignored']);
  });
});
