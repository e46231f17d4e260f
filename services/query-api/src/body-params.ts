import type { z } from 'zod';
import { VigilError } from '@vigil/errors';

/** Parse a JSON body with zod; the first issue becomes REQUEST_BODY_INVALID with its path. */
export function parseBody<S extends z.ZodTypeAny>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = issue.path.join('.');
    const message = issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : `${path || 'body'}: ${issue.message}`;
    throw new VigilError('REQUEST_BODY_INVALID', message, { path });
  }
  return result.data as z.infer<S>;
}
