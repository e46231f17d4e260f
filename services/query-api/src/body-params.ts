import type { z } from 'zod';
import { VigilError, type ErrorCode } from '@vigil/errors';

/** Parse input with zod; the first issue becomes `code` with its path (unknown keys named). */
export function parseWith<S extends z.ZodTypeAny>(schema: S, input: unknown, code: ErrorCode, noun: string): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = issue.path.join('.');
    const message = issue.code === 'unrecognized_keys' ? `unknown ${noun}(s): ${issue.keys.join(', ')}` : `${path || noun}: ${issue.message}`;
    throw new VigilError(code, message, { path });
  }
  return result.data as z.infer<S>;
}

/** A JSON body: REQUEST_BODY_INVALID. */
export const parseBody = <S extends z.ZodTypeAny>(schema: S, body: unknown): z.infer<S> => parseWith(schema, body, 'REQUEST_BODY_INVALID', 'field');
