import { Counter, Gauge, type Registry } from '@vigil/metrics';
import type { WindowCount } from './store/dedup-window-count.ts';

export interface DedupMetrics {
  /** Alerts turned into duplicate notices (first decisions only, not replays). */
  readonly suppressed: Counter<'tenant'>;
  /** Alerts whose id had been decided before (redelivery after a crash or retry). */
  readonly redelivered: Counter;
  readonly windowKeys: Gauge<'tenant'>;
}

export function createDedupMetrics(registry: Registry): DedupMetrics {
  return {
    suppressed: new Counter({ name: 'vigil_dedup_suppressed_total', help: 'Alerts suppressed as duplicates of a canonical alert', labelNames: ['tenant'], registers: [registry] }),
    redelivered: new Counter({ name: 'vigil_dedup_redelivered_total', help: 'Alerts decided again after a redelivery (recorded decision reused, nothing counted)', registers: [registry] }),
    windowKeys: new Gauge({ name: 'vigil_dedup_window_keys', help: 'Dedup windows held in Redis (sampled by SCAN)', labelNames: ['tenant'], registers: [registry] }),
  };
}

export interface WindowSampler {
  stop(): void;
}

/**
 * Refresh the window gauge every `intervalMs`. A failed sample leaves the last value:
 * Redis being down is reported by the stage itself, not by this gauge.
 */
export function startWindowSampler(options: {
  readonly count: () => Promise<WindowCount>;
  readonly gauge: Gauge<'tenant'>;
  readonly intervalMs: number;
  readonly warn: (detail: Record<string, unknown>, message: string) => void;
}): WindowSampler {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const sample = async () => {
    try {
      const { byTenant, truncated } = await options.count();
      options.gauge.reset();
      for (const [tenant, n] of byTenant) options.gauge.labels(tenant).set(n);
      if (truncated) options.warn({}, 'dedup window count truncated: too many keys to scan');
    } catch (err) {
      options.warn({ err }, 'sampling dedup windows failed');
    }
    if (!stopped) timer = setTimeout(() => void sample(), options.intervalMs).unref();
  };
  // The first sample after one interval: at start-up the client may still be connecting.
  timer = setTimeout(() => void sample(), options.intervalMs).unref();
  return {
    stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
    },
  };
}
