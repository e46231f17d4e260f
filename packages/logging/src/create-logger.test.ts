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
});
