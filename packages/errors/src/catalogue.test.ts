import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { catalogue, errorCodes } from './catalogue.ts';

const docPath = fileURLToPath(new URL('../../../docs/errors.md', import.meta.url));

describe('error catalogue', () => {
  it('documents every code in docs/errors.md with its status', () => {
    const doc = readFileSync(docPath, 'utf8');
    const missing = errorCodes.filter((code) => !new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${catalogue[code].status}\\s*\\|`).test(doc));
    expect(missing).toEqual([]);
  });

  it('gives every code a one-line doc and a 4xx/5xx status', () => {
    for (const code of errorCodes) {
      const spec = catalogue[code];
      expect(spec.doc.length, code).toBeGreaterThan(10);
      expect(spec.doc.includes('\n'), code).toBe(false);
      expect(spec.status >= 400 && spec.status < 600, code).toBe(true);
    }
  });

  it('uses codes in UPPER_SNAKE_CASE', () => {
    for (const code of errorCodes) expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
  });
});
