import { z } from 'zod';
import { severities } from '@vigil/contracts';
import { VigilError } from '@vigil/errors';

const MAX_WINDOW = 10_000;

const time = z.union([z.coerce.number().int().nonnegative(), z.string().datetime({ offset: true }).transform((s) => Date.parse(s))]);

export const alertSearchSchema = z
  .object({
    q: z.string().max(512).optional(),
    severity: z.enum(severities).optional(),
    rule_id: z.string().max(256).optional(),
    src_ip: z.string().ip().optional(),
    dst_ip: z.string().ip().optional(),
    host: z.string().max(256).optional(),
    from: time.optional(),
    to: time.optional(),
    size: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict()
  .refine((p) => p.offset + p.size <= MAX_WINDOW, { message: `offset + size must not exceed ${MAX_WINDOW}; narrow the time range instead` })
  .refine((p) => p.from === undefined || p.to === undefined || p.from <= p.to, { message: 'from must not be after to' });

export type AlertSearch = z.infer<typeof alertSearchSchema>;

export const incidentSearchSchema = z
  .object({
    status: z.enum(['open', 'closed']).optional(),
    size: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).max(MAX_WINDOW).default(0),
  })
  .strict();

export type IncidentSearch = z.infer<typeof incidentSearchSchema>;

/** Parse a query string; unknown parameters are errors, so typos do not silently widen a search. */
export function parseParams<S extends z.ZodTypeAny>(schema: S, query: unknown): z.infer<S> {
  const result = schema.safeParse(query ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = issue.path.join('.');
    const message = issue.code === 'unrecognized_keys' ? `unknown parameter(s): ${issue.keys.join(', ')}` : `${path || 'query'}: ${issue.message}`;
    throw new VigilError('QUERY_INVALID', message, { path });
  }
  return result.data as z.infer<S>;
}
