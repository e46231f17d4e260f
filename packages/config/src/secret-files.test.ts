import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, parseConfig } from './parse-config.ts';
import { resolveSecretFiles } from './secret-files.ts';

const files: Record<string, string> = { '/run/secrets/db': 'postgres://vigil_app:s3cret@db:5432/vigil\n', '/run/secrets/key': 'k'.repeat(40) };
const read = (path: string) => {
  if (!(path in files)) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
  return files[path]!;
};

describe('resolveSecretFiles', () => {
  it('reads <NAME>_FILE into NAME, dropping the trailing newline, and removes the _FILE variable', () => {
    const { env, problems } = resolveSecretFiles({ DATABASE_URL_FILE: '/run/secrets/db', CURSOR_KEY_FILE: '/run/secrets/key' }, read);
    expect(problems).toEqual([]);
    expect(env['DATABASE_URL']).toBe('postgres://vigil_app:s3cret@db:5432/vigil');
    expect(env['CURSOR_KEY']).toBe('k'.repeat(40));
    expect(env['DATABASE_URL_FILE']).toBeUndefined();
  });

  it('refuses both forms at once and an unreadable file, naming the path but no value', () => {
    const { problems } = resolveSecretFiles({ DATABASE_URL: 'postgres://a:b@h/d', DATABASE_URL_FILE: '/run/secrets/db', REDIS_URL_FILE: '/missing' }, read);
    expect(problems).toEqual(['DATABASE_URL: set either DATABASE_URL or DATABASE_URL_FILE, not both', 'REDIS_URL_FILE: cannot read /missing (ENOENT)']);
    expect(problems.join()).not.toContain('a:b');
  });

  it('in production, refuses credentials in the environment and accepts them from files or without a password', () => {
    const inline = resolveSecretFiles({ NODE_ENV: 'production', DATABASE_URL: 'postgres://vigil_app:pw@db/vigil', REDIS_URL: 'redis://dedup:pw@redis:6379', CURSOR_KEY: 'x'.repeat(40) }, read);
    expect(inline.problems.map((p) => p.split(':')[0])).toEqual(['DATABASE_URL', 'REDIS_URL', 'CURSOR_KEY']);
    expect(inline.problems.join()).not.toContain('pw@');
    const fromFiles = resolveSecretFiles({ NODE_ENV: 'production', DATABASE_URL_FILE: '/run/secrets/db', REDIS_URL: 'redis://redis:6379', OPENSEARCH_URL: 'http://os:9200' }, read);
    expect(fromFiles.problems).toEqual([]);
  });

  it('allows inline credentials outside production (development, tests)', () => {
    expect(resolveSecretFiles({ NODE_ENV: 'development', DATABASE_URL: 'postgres://a:b@h/d', CURSOR_KEY: 'x' }, read).problems).toEqual([]);
  });
});

describe('parseConfig with secrets', () => {
  const schema = z.object({ NODE_ENV: z.string(), DATABASE_URL: z.string() });

  it('refuses an inline credential in production at start-up, with the schema problems beside it', () => {
    expect(() => parseConfig('svc', schema, { NODE_ENV: 'production', DATABASE_URL: 'postgres://u:pw@h/d' })).toThrow(ConfigError);
    expect(() => parseConfig('svc', schema, { NODE_ENV: 'production', DATABASE_URL: 'postgres://u:pw@h/d' })).toThrow(/DATABASE_URL: refused in production/);
  });

  it('parses a value read from a *_FILE path like one from the environment', () => {
    expect(() => parseConfig('svc', schema, { NODE_ENV: 'production', DATABASE_URL_FILE: '/nonexistent/vigil-secret' })).toThrow(/DATABASE_URL_FILE: cannot read/);
  });
});
