import { failure, type MapFailure } from './map-result.ts';
import type { Segment } from './shape.ts';

/** `['evidences', 0, 'src_endpoint', 'ip']` → `evidences[0].src_endpoint.ip`. */
export function formatPath(segments: readonly Segment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/**
 * The first problem found, as the sensor author reads it in an HTTP 400: the field's path,
 * then a "must ..." clause. One precise fix at a time beats a wall of errors.
 */
export function schemaFailure(problem: { readonly message: string; readonly path?: readonly Segment[] }): MapFailure {
  const path = formatPath(problem.path ?? []);
  const subject = path === '' ? 'the alert' : path;
  return failure('ALERT_SCHEMA_INVALID', path, `${subject} ${problem.message}`);
}
