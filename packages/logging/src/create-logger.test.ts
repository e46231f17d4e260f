import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.ts';

function capture(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { stream, lines };
}

describe('createLogger', () => {
  it('redacts tokens, passwords and authorization headers', () => {
    const { stream, lines } = capture();
    const log = createLogger({ service: 't', level: 'info', destination: stream });
    log.info({ req: { headers: { authorization: 'Bearer abc.def.ghi' } }, db: { password: 'hunter2' }, token: 'tok' }, 'hello');
    const line = lines.join('');
    expect(line).not.toContain('abc.def.ghi');
    expect(line).not.toContain('hunter2');
    expect(line).not.toContain('"tok"');
    expect(line).toContain('[redacted]');
    expect(JSON.parse(line).service).toBe('t');
  });

  it('redacts store credentials: config URLs and the connection objects of loadStoreConnections', () => {
    const { stream, lines } = capture();
    const log = createLogger({ service: 't', level: 'info', destination: stream });
    const config = { REDIS_URL: 'rediss://dedup:redis-pw@r:6380', OPENSEARCH_URL: 'https://u:os-pw@s', SCHEMA_REGISTRY_URL: 'https://u:reg-pw@r' };
    log.info({ config, kafka: { brokers: ['k:9093'], sasl: { mechanism: 'scram-sha-256', username: 'u', password: 'kafka-pw' } }, opensearch: { auth: { username: 'u', password: 'auth-pw' } } }, 'stores');
    const line = lines.join('');
    for (const secret of ['redis-pw', 'os-pw', 'reg-pw', 'kafka-pw', 'auth-pw']) expect(line).not.toContain(secret);
    expect(JSON.parse(line).kafka.brokers).toEqual(['k:9093']);
  });
});
