import { describe, expect, it } from 'vitest';
import { MAX_CLIENT_TEXT, clientText } from './client-message.ts';

describe('clientText', () => {
  it('leaves ordinary messages alone', () => {
    expect(clientText('rule.id is required')).toBe('rule.id is required');
  });

  it('spells out NUL, other controls and bidi overrides', () => {
    expect(clientText('a\u0000b\u202ec\u2066d\n')).toBe('a\\u0000b\\u202ec\\u2066d\\u000a');
  });

  it('bounds a message that quotes a huge value, without splitting a surrogate pair', () => {
    const text = clientText(`got "${'𝕍'.repeat(500_000)}"`);
    expect(text.length).toBeLessThanOrEqual(MAX_CLIENT_TEXT + 1);
    expect(text.endsWith('…')).toBe(true);
    expect(text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });
});
