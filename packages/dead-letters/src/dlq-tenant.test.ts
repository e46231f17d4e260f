import { describe, expect, it } from 'vitest';
import { VigilError, dependencyUnavailable } from '@vigil/errors';
import type { DeadLetterEnvelope } from '@vigil/kafka';
import { deadLetterId } from './dlq-position.ts';
import type { StoredDeadLetter } from './dlq-reader.ts';
import { attributeDeadLetters, tenantOfDeadLetter } from './dlq-tenant.ts';

function letter(key: string | null, value: Buffer | null = Buffer.from('v'), trimmed?: string): StoredDeadLetter {
  const position = { partition: 0, offset: '1' };
  const envelope: DeadLetterEnvelope = {
    stage: 'dedup', source: { topic: 'alerts.raw.v1', partition: 0, offset: '9' }, error: { code: 'RECORD_REJECTED', message: 'x' }, attempts: 1, time: '2026-01-01T00:00:00Z',
    key: key === null ? null : Buffer.from(key), value, headers: {}, ...(trimmed ? { trimmed } : {}),
  };
  return { stage: 'dedup', dlqTopic: 'dlq.dedup.v1', position, id: deadLetterId('dedup', position, envelope), envelope };
}

describe('tenantOfDeadLetter', () => {
  it.each<[string, string | null, unknown, string | null]>([
    ['value and key agree', 'acme|rule-1', { tenant_id: 'acme' }, 'acme'],
    ['the key names another tenant', 'globex|rule-1', { tenant_id: 'acme' }, null],
    ['the key is a prefix trick', 'acmex|rule-1', { tenant_id: 'acme' }, null],
    ['no key', null, { tenant_id: 'acme' }, null],
    ['a key without the separator', 'acme', { tenant_id: 'acme' }, null],
    ['no tenant in the value', 'acme|r', { id: 'a' }, null],
    ['an invalid tenant id', '|r', { tenant_id: '' }, null],
    ['a non-string tenant', 'acme|r', { tenant_id: ['acme'] }, null],
    ['nothing decoded', 'acme|r', null, null],
  ])('%s', (_name, key, decoded, expected) => {
    expect(tenantOfDeadLetter(letter(key), decoded)).toBe(expected);
  });
});

describe('attributeDeadLetters', () => {
  const decodeAs = (value: unknown) => async () => value;

  it('reads the tenant of decodable letters and none of undecodable or trimmed ones', async () => {
    const undecodable = async () => {
      throw new VigilError('RECORD_UNDECODABLE', 'garbage');
    };
    expect((await attributeDeadLetters([letter('acme|r')], decodeAs({ tenant_id: 'acme' })))[0]!.tenant).toBe('acme');
    expect((await attributeDeadLetters([letter('acme|r')], undecodable))[0]!.tenant).toBeNull();
    expect((await attributeDeadLetters([letter('acme|r', null, 'value')], decodeAs({ tenant_id: 'acme' })))[0]!.tenant).toBeNull();
    expect((await attributeDeadLetters([letter('acme|r', null)], decodeAs({ tenant_id: 'acme' })))[0]!.tenant).toBeNull();
  });

  it('throws when the registry cannot be asked, instead of calling the letter no one\'s', async () => {
    const down = async () => {
      throw dependencyUnavailable('schema-registry', new Error('ECONNREFUSED'));
    };
    await expect(attributeDeadLetters([letter('acme|r')], down)).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
  });
});
