import { z } from 'zod';
import { fields } from '@vigil/config';
import { simulationConfigFields } from './simulation/simulation-config.ts';

export const queryConfigSchema = z.object({ ...fields.api(8001, 9501), ...simulationConfigFields }).superRefine(fields.requireJwks);

export type QueryConfig = z.infer<typeof queryConfigSchema>;
