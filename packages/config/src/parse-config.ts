import type { z } from 'zod';
import { resolveSecretFiles } from './secret-files.ts';

/** Raised once at start-up with every configuration problem, not just the first. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(service: string, problems: readonly string[]) {
    super(`${service}: invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value as Record<string, unknown>)) deepFreeze(inner);
  }
  return value;
}

/**
 * Parse an environment-like record against a zod schema. Only `main` files pass
 * `process.env` in; everything else receives the frozen result.
 */
export function parseConfig<S extends z.ZodTypeAny>(service: string, schema: S, env: Readonly<Record<string, string | undefined>>): Readonly<z.infer<S>> {
  // Secrets may come from files (`DATABASE_URL_FILE`, …); production refuses them inline.
  const secrets = resolveSecretFiles(env);
  const result = schema.safeParse(secrets.env);
  if (!result.success || secrets.problems.length > 0) {
    const issues = result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ConfigError(service, [...secrets.problems, ...issues]);
  }
  return deepFreeze(result.data as z.infer<S>);
}
