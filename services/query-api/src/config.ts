import { z } from 'zod';
import { fields } from '@vigil/config';

export const queryConfigSchema = z.object(fields.api(8001, 9501)).superRefine(fields.requireJwks);

export type QueryConfig = z.infer<typeof queryConfigSchema>;
