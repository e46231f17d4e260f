import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { composeProblems } from '../support/compose-validate.ts';

/**
 * docker-compose.yml is checked in CI although no Docker engine runs there: against the
 * Compose Specification's JSON schema, plus cross-references. The broken variants prove
 * the check can fail.
 */

const text = readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8');

describe('docker-compose.yml', () => {
  it('is a valid Compose file', () => {
    expect(composeProblems(text)).toEqual([]);
  });

  it('runs the stores with authentication on: no trust auth, no anonymous Redis user, a Redis user per service', () => {
    const doc = parse(text, { merge: true }) as { services: Record<string, { command?: string[]; environment?: Record<string, string> }> };
    const { redis, postgres, ...rest } = doc.services;
    expect(JSON.stringify(postgres)).not.toContain('trust');
    expect(postgres!.environment!['POSTGRES_PASSWORD']).toBeTruthy();
    expect(redis!.command).toContain('default off');
    const users = new Set<string>();
    for (const [name, service] of Object.entries(rest)) {
      const url = service.environment?.['REDIS_URL'];
      if (url === undefined) continue;
      const user = new URL(url).username;
      expect(user, name).not.toBe('');
      expect(redis!.command!.some((arg) => arg.startsWith(`${user} on >`)), name).toBe(true);
      users.add(user);
      expect(new URL(service.environment!['DATABASE_URL']!).password, name).not.toBe('');
    }
    // One user per service (prepare is the one-shot set-up job).
    expect(users.size).toBe(Object.values(rest).filter((s) => s.environment?.['REDIS_URL']).length);
  });

  it.each([
    ['an unknown top-level key', `${text}\nnetwork:\n  x: {}\n`],
    ['a service with a misspelt key', text.replace('  redis:\n    image: redis:7-alpine', '  redis:\n    imag: redis:7-alpine')],
    ['ports as a number', text.replace('ports: ["127.0.0.1:6379:6379"]', 'ports: 6379')],
    ['a dependency on a service that does not exist', text.replace('depends_on: [redpanda, redis, postgres, opensearch, idp]', 'depends_on: [redpanda, redis, postgres, opensearch, idp, kafka]')],
    ['broken YAML', `${text}\n  - : [`],
  ])('refuses %s', (_what, broken) => {
    expect(broken).not.toBe(text);
    expect(composeProblems(broken).length).toBeGreaterThan(0);
  });
});
