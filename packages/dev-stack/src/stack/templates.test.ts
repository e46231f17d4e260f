import { describe, expect, it } from 'vitest';
import { renderTemplate } from './templates.ts';

describe('renderTemplate', () => {
  it('fills double-brace placeholders and leaves ${...} for the target program', () => {
    const out = renderTemplate('port={{port}}\nfile=${kafka.logs.dir}/x\nhost={{ host }}', { port: 9092, host: '127.0.0.1' });
    expect(out).toBe('port=9092\nfile=${kafka.logs.dir}/x\nhost=127.0.0.1');
  });

  it('rejects a placeholder without a value', () => {
    expect(() => renderTemplate('a={{a}} b={{b}}', { a: 1 })).toThrow(/missing: b/);
  });

  it('rejects a value that no placeholder uses, so template and code cannot drift', () => {
    expect(() => renderTemplate('a={{a}}', { a: 1, stale: 2 })).toThrow(/no placeholder for: stale/);
  });
});
