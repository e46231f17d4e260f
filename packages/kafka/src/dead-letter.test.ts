import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { dlqHeader, fitDeadLetter, fromDeadLetter, isTrimmed, toDeadLetter } from './dead-letter.ts';
import { recordBytes } from './record-size.ts';

const source = {
  topic: 'alerts.v1',
  partition: 2,
  offset: '41',
  key: Buffer.from('acme|r1'),
  value: Buffer.from([0xde, 0xad, 0xbe, 0xef]),
  headers: { trace: Buffer.from('abc'), tag: [Buffer.from('x'), Buffer.from('y')], [dlqHeader.errorCode]: 'STALE' },
};

describe('dead-letter envelope', () => {
  it('keeps original bytes and headers and adds the envelope headers', () => {
    const letter = toDeadLetter('dlq.indexer.v1', 'indexer', source, { code: 'INDEX_REJECTED', message: 'm'.repeat(5000), attempts: 3 }, Date.UTC(2026, 0, 2));
    expect(letter.topic).toBe('dlq.indexer.v1');
    expect(letter.value).toEqual(source.value);
    expect(letter.key).toEqual(source.key);
    const envelope = fromDeadLetter({ key: letter.key, value: letter.value, headers: letter.headers });
    expect(envelope).toMatchObject({
      stage: 'indexer',
      source: { topic: 'alerts.v1', partition: 2, offset: '41' },
      error: { code: 'INDEX_REJECTED' },
      attempts: 3,
      time: '2026-01-02T00:00:00.000Z',
    });
    expect(envelope.error.message).toHaveLength(1024);
    // A stale vigil.dlq.* header from an earlier life of the record is not kept as "original".
    expect(Object.keys(envelope.headers).sort()).toEqual(['tag', 'trace']);
    expect(envelope.headers['tag']).toEqual([Buffer.from('x'), Buffer.from('y')]);
  });

  describe('fitDeadLetter', () => {
    const big = { ...source, value: Buffer.alloc(50_000, 7), headers: { trace: Buffer.from('abc') } };
    const letter = toDeadLetter('dlq.dedup.v1', 'dedup', big, { code: 'OUTPUT_TOO_LARGE', message: 'too big', attempts: 1 }, 0);

    it('leaves a letter that fits untouched', () => {
      expect(fitDeadLetter(letter, recordBytes(letter))).toBe(letter);
    });

    it('replaces the value by its size and SHA-256 and keeps the envelope and headers', () => {
      const fitted = fitDeadLetter(letter, 10_000);
      expect(fitted.value).toBeNull();
      expect(recordBytes(fitted)).toBeLessThanOrEqual(10_000);
      expect(fitted.headers[dlqHeader.valueBytes]).toBe('50000');
      expect(fitted.headers[dlqHeader.valueSha256]).toBe(createHash('sha256').update(big.value).digest('hex'));
      expect(fitted.headers[dlqHeader.trimmed]).toBe('value');
      expect(fitted.headers['trace']).toEqual(Buffer.from('abc'));
      expect(fromDeadLetter(fitted)).toMatchObject({ stage: 'dedup', error: { code: 'OUTPUT_TOO_LARGE' }, source: { offset: '41' } });
      expect(isTrimmed(fitted.headers)).toBe(true);
      expect(isTrimmed(letter.headers)).toBe(false);
    });

    it('drops the original headers too when the value alone is not enough', () => {
      const heavy = toDeadLetter('dlq.dedup.v1', 'dedup', { ...big, headers: { blob: Buffer.alloc(20_000) } }, { code: 'OUTPUT_TOO_LARGE', message: 'x', attempts: 1 }, 0);
      const fitted = fitDeadLetter(heavy, 5_000);
      expect(fitted.headers['blob']).toBeUndefined();
      expect(fitted.headers[dlqHeader.trimmed]).toBe('value,headers');
      expect(fitted.headers[dlqHeader.errorCode]).toBe('OUTPUT_TOO_LARGE');
      expect(recordBytes(fitted)).toBeLessThanOrEqual(5_000);
    });
  });
});
