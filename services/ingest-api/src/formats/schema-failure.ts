import type { ZodError, ZodIssue } from 'zod';
import { failure, type MapFailure } from './map-result.ts';

/** `['evidences', 0, 'src_endpoint', 'ip']` → `evidences[0].src_endpoint.ip`. */
export function formatPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

const nouns: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
};

function typeNoun(type: string): string {
  return nouns[type] ?? type;
}

/**
 * Zod's default wording ("Expected string, received number") is written for developers of
 * this service; these sentences are for the sensor author reading an HTTP 400.
 */
function describeIssue(issue: ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.received === 'undefined') return 'is required';
      return `must be ${typeNoun(issue.expected)} (got ${issue.received})`;
    case 'invalid_literal':
      return `must be ${JSON.stringify(issue.expected)}`;
    case 'invalid_enum_value':
      return `must be one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}`;
    case 'too_big':
      if (issue.type === 'array') return `must have at most ${issue.maximum} entries`;
      if (issue.type === 'string') return `must be at most ${issue.maximum} characters`;
      return `must be at most ${issue.maximum}`;
    case 'too_small':
      if (issue.type === 'array') return `must have at least ${issue.minimum} entries`;
      if (issue.type === 'string') return `must be at least ${issue.minimum} characters`;
      return `must be at least ${issue.minimum}`;
    default:
      // Custom issues come from fields.ts and already read as "must ..." clauses.
      return issue.message;
  }
}

/** Only the first issue is reported: one precise fix at a time beats a wall of errors. */
export function schemaFailure(error: ZodError): MapFailure {
  const issue = error.issues[0];
  if (issue === undefined) return failure('ALERT_SCHEMA_INVALID', '', 'the alert does not match its format');
  const path = formatPath(issue.path);
  const subject = path === '' ? 'the alert' : path;
  return failure('ALERT_SCHEMA_INVALID', path, `${subject} ${describeIssue(issue)}`);
}
