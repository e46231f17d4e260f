import type { Alert } from '@vigil/contracts';
import { deferred, done, fail, reject, type Outcome, type StageHandler } from '@vigil/kafka';
import type { DedupStepInput } from './dedup-decision.ts';
import type { DedupStore } from './store/dedup-store.ts';
import { checkAlert, outputsFor } from './dedup-core.ts';
import type { DedupMetrics } from './dedup-metrics.ts';
import { resolveSettings } from './dedup-settings.ts';
import { fingerprint } from './fingerprint.ts';
import type { SettingsCache } from './settings-cache.ts';

export interface DedupHandlerOptions {
  readonly store: DedupStore;
  readonly settings: SettingsCache;
  readonly defaultWindowMs: number;
  readonly latenessMs: number;
  readonly metrics: Pick<DedupMetrics, 'suppressed' | 'redelivered'>;
  readonly healthy: () => Promise<boolean>;
}

/**
 * Decides a slice's records in offset order: two alerts of one fingerprint in a slice
 * depend on each other. All script calls of the slice go to Redis in one pipeline,
 * which Redis executes in order; the first failed call fails its record and defers every
 * later one (they were not decided, so they must not use up attempts), and the runtime
 * retries from there.
 */
export function createDedupHandler(options: DedupHandlerOptions): StageHandler {
  return {
    healthy: options.healthy,
    async handle(records, now) {
      const outcomes: Outcome[] = [];
      // Nothing after a failure is final (rejected records included): all of it waits,
      // untried, behind the failed record, and is tried as a first attempt once it settles.
      const failFrom = (from: number, error: unknown) => {
        outcomes[from] = fail(error);
        for (let i = from + 1; i < records.length; i++) outcomes[i] = deferred();
      };
      const pending: { index: number; alert: Alert; print: string; input: DedupStepInput }[] = [];
      for (const [index, record] of records.entries()) {
        const checked = checkAlert(record.value);
        if (!checked.ok) {
          outcomes[index] = reject('RECORD_REJECTED', checked.message);
          continue;
        }
        const alert = checked.alert;
        try {
          const settings = resolveSettings(await options.settings.get(alert.tenant_id), alert, options.defaultWindowMs);
          const print = fingerprint(alert, settings.fields);
          pending.push({ index, alert, print, input: { tenantId: alert.tenant_id, fingerprint: print, alertId: alert.id, eventTime: alert.event_time, windowMs: settings.windowMs, latenessMs: options.latenessMs, now } });
        } catch (error) {
          // Settings unavailable: this record and everything after it wait for a retry.
          failFrom(index, error);
          break;
        }
      }
      const decisions = await options.store.stepMany(pending.map((p) => p.input)).catch((error: unknown) => pending.map(() => error as Error));
      for (const [i, p] of pending.entries()) {
        const decision = decisions[i]!;
        if (decision instanceof Error) {
          // Later decisions may depend on the failed one: none of them is used.
          failFrom(p.index, decision);
          break;
        }
        if (decision.replay) options.metrics.redelivered.inc();
        else if (decision.kind === 'duplicate') options.metrics.suppressed.labels(p.alert.tenant_id).inc();
        outcomes[p.index] = done(outputsFor(p.alert, p.print, decision));
      }
      return outcomes;
    },
  };
}
