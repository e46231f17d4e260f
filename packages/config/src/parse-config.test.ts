import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './parse-config.ts';
import { bool, csv, port } from './fields.ts';

const schema = z.object({ PORT: port(8000), BROKERS: csv('a:1'), FLAG: bool(false), NAME: z.string().min(1) });

describe('parseConfig', () => {
  it('applies defaults and coerces values', () => {
    const cfg = parseConfig('svc', schema, { NAME: 'x', BROKERS: 'h1:1, h2:2' });
    expect(cfg).toEqual({ PORT: 8000, BROKERS: ['h1:1', 'h2:2'], FLAG: false, NAME: 'x' });
  });

  it('reports every problem at once', () => {
    try {
      parseConfig('svc', schema, { PORT: '70000', FLAG: 'maybe' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems;
      expect(problems.some((p) => p.startsWith('PORT'))).toBe(true);
      expect(problems.some((p) => p.startsWith('FLAG'))).toBe(true);
      expect(problems.some((p) => p.startsWith('NAME'))).toBe(true);
    }
  });

  it('returns a deeply frozen object', () => {
    const cfg = parseConfig('svc', schema, { NAME: 'x' });
    expect(Object.isFrozen(cfg)).toBe(true);
    expect(Object.isFrozen(cfg.BROKERS)).toBe(true);
  });
});
