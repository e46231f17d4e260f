import { fields } from '@vigil/config';
import { z } from 'zod';

/** Simulation settings of the query API (merged into its config schema). */
export const simulationConfigFields = {
  /** Simulations this process runs at once (CPU-bound: keep it below the cores). */
  SIMULATION_CONCURRENCY: fields.positiveInt(1),
  /** Unfinished simulations one tenant may have; more are refused with SIMULATION_LIMIT. */
  SIMULATION_PER_TENANT: fields.positiveInt(1),
  /** Alerts one simulation reads at most; past it the result says it stopped there. */
  SIMULATION_MAX_ALERTS: fields.positiveInt(2_000_000),
  /** Longest time range one simulation may cover. */
  SIMULATION_MAX_RANGE_DAYS: z.coerce.number().int().min(1).max(366).default(31),
} as const;
