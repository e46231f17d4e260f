import { z } from 'zod';
import { stages } from '@vigil/contracts';
import { topicSettingsOf, type TopicConfig } from '@vigil/kafka';

/**
 * How many processes of each worker `vigil run` starts (`VIGIL_WORKERS`). Instances of
 * a stage share its consumer group, so Kafka splits the partitions among them: a
 * partition is the unit of parallelism and instances beyond the partitions idle.
 */
export const scalableWorkers = ['dedup', 'correlate', 'indexer'] as const;
export type ScalableWorker = (typeof scalableWorkers)[number];
export type WorkerCounts = Readonly<Record<ScalableWorker, number>>;

/** Instance k of a worker listens for /metrics at its base port + 10·(k-1): 9502, 9512, 9522, … */
export const MAX_INSTANCES = 8;
export const instanceMetricsPort = (basePort: number, instance: number): number => basePort + 10 * (instance - 1);

const count = (item: string, raw: string, ctx: z.RefinementCtx): number | null => {
  const n = Number(raw);
  if (/^\d+$/.test(raw) && n >= 1 && n <= MAX_INSTANCES) return n;
  ctx.addIssue({ code: 'custom', message: `'${item}': instances must be a whole number from 1 to ${MAX_INSTANCES}` });
  return null;
};

/**
 * `2` (every worker), `dedup:2,indexer:3` (per worker, the others 1) or both:
 * `2,indexer:3`. Unset or empty: one each.
 */
export const workerCountsSchema = z
  .string()
  .default('')
  .transform((raw, ctx): WorkerCounts => {
    const items = raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    let all = 1;
    const each: Partial<Record<ScalableWorker, number>> = {};
    for (const item of items) {
      const [name, value] = item.includes(':') ? item.split(':', 2).map((s) => s.trim()) : [null, item];
      if (name !== null && !(scalableWorkers as readonly string[]).includes(name!)) {
        ctx.addIssue({ code: 'custom', message: `'${item}': no worker ${name} (${scalableWorkers.join(', ')})` });
        continue;
      }
      const n = count(item, value!, ctx);
      if (n === null) continue;
      if (name === null) all = n;
      else each[name as ScalableWorker] = n;
    }
    return Object.freeze(Object.fromEntries(scalableWorkers.map((w) => [w, each[w] ?? all])) as Record<ScalableWorker, number>);
  });

export function parseWorkerCounts(raw: string | undefined): WorkerCounts {
  const result = workerCountsSchema.safeParse(raw);
  if (!result.success) throw new Error(`VIGIL_WORKERS: ${result.error.issues.map((i) => i.message).join('; ')}`);
  return result.data;
}

export interface ServiceInstance<N extends string = string> {
  readonly name: N;
  /** 1 for the first (or only) instance. */
  readonly instance: number;
  readonly env: Readonly<Record<string, string>>;
}

/**
 * The processes to start for a plan of services (each with the env of its first
 * instance): workers repeated per `counts`, every further instance on its own metrics
 * port and otherwise the same env, so all of them join the same consumer group.
 */
export function instancePlan<N extends string>(plan: ReadonlyArray<readonly [N, Readonly<Record<string, string>>]>, counts: WorkerCounts, defaultMetricsPort: (name: N) => number): ServiceInstance<N>[] {
  return plan.flatMap(([name, env]) => {
    const n = (scalableWorkers as readonly string[]).includes(name) ? counts[name as ScalableWorker] : 1;
    const base = Number(env['METRICS_PORT'] ?? defaultMetricsPort(name));
    return Array.from({ length: n }, (_, i) => ({ name, instance: i + 1, env: i === 0 ? env : { ...env, METRICS_PORT: String(instanceMetricsPort(base, i + 1)) } }));
  });
}

/** Workers with more instances than the (configured) partitions of their inputs: the extra ones get none. */
export function idleInstanceWarnings(counts: WorkerCounts, topicConfig: TopicConfig): string[] {
  return scalableWorkers.flatMap((worker) => {
    const partitions = topicSettingsOf(stages[worker].inputs, topicConfig).reduce((n, t) => n + t.partitions, 0);
    return counts[worker] > partitions ? [`${worker}: ${counts[worker]} instances for ${partitions} partitions of its inputs; ${counts[worker] - partitions} will own none (raise KAFKA_PARTITIONS)`] : [];
  });
}
