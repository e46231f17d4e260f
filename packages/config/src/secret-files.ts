import { readFileSync } from 'node:fs';

/**
 * Variables that carry a credential, inline or inside a URL. Each may instead be given as
 * `<NAME>_FILE`: a path whose content is the value (Docker and Kubernetes secrets), so the
 * secret is in no environment listing, `ps e` output or crash dump of the environment.
 */
export const secretVariables = ['DATABASE_URL', 'REDIS_URL', 'OPENSEARCH_URL', 'SCHEMA_REGISTRY_URL', 'CURSOR_KEY', 'VIGIL_ADMIN_DATABASE_URL', 'KAFKA_SASL_PASSWORD', 'SCHEMA_REGISTRY_PASSWORD', 'OPENSEARCH_PASSWORD'] as const;

/** A URL with a password, or a bare secret (not a URL at all). */
function carriesCredential(name: string, value: string): boolean {
  if (!name.endsWith('_URL')) return value !== '';
  try {
    return new URL(value).password !== '';
  } catch {
    return false;
  }
}

export interface SecretResolution {
  readonly env: Record<string, string | undefined>;
  readonly problems: string[];
}

/**
 * Replace every `<NAME>_FILE` of a secret variable by the file's content (one trailing
 * newline dropped), and in production refuse a credential given inline where a file is
 * expected. Problems name variables and paths only, never a value.
 */
export function resolveSecretFiles(env: Readonly<Record<string, string | undefined>>, read: (path: string) => string = (p) => readFileSync(p, 'utf8')): SecretResolution {
  const out: Record<string, string | undefined> = { ...env };
  const problems: string[] = [];
  const production = env['NODE_ENV'] === 'production';
  for (const name of secretVariables) {
    const file = env[`${name}_FILE`];
    if (file !== undefined && file !== '') {
      if (env[name] !== undefined) {
        problems.push(`${name}: set either ${name} or ${name}_FILE, not both`);
        continue;
      }
      try {
        out[name] = read(file).replace(/\r?\n$/, '');
      } catch (err) {
        problems.push(`${name}_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      delete out[`${name}_FILE`];
    } else if (production && env[name] !== undefined && carriesCredential(name, env[name]!)) {
      problems.push(`${name}: refused in production: a credential in the environment; give it as ${name}_FILE`);
    }
  }
  return { env: out, problems };
}
