import { describe, expect, it } from 'vitest';
import { chunkBySize, recordBytes, requestBudget } from './record-size.ts';

const message = (size: number, headers: Record<string, string> = {}) => ({ key: 'k', value: Buffer.alloc(size), headers });

describe('recordBytes', () => {
  it('counts key, value, every header and an overhead per record and per header', () => {
    const bare = recordBytes(message(100));
    expect(bare).toBeGreaterThan(101);
    expect(recordBytes(message(100, { name: 'value' }))).toBeGreaterThan(bare + 'name'.length + 'value'.length);
    expect(recordBytes({ key: null, value: null })).toBeGreaterThan(0);
  });

  it('counts every value of a repeated header', () => {
    const once = recordBytes({ key: null, value: null, headers: { h: 'abcdef' } });
    const twice = recordBytes({ key: null, value: null, headers: { h: ['abcdef', 'abcdef'] } });
    expect(twice).toBeGreaterThan(once + 6);
  });
});

describe('chunkBySize', () => {
  it('keeps order and never puts more than the budget in one request', () => {
    const messages = Array.from({ length: 10 }, (_, i) => ({ ...message(300), key: String(i) }));
    const budget = 3 * recordBytes(messages[0]!);
    const { chunks, oversized } = chunkBySize(messages, budget);
    expect(oversized).toEqual([]);
    expect(chunks.map((c) => c.length)).toEqual([3, 3, 3, 1]);
    expect(chunks.flat().map((m) => m.key)).toEqual(messages.map((m) => m.key));
    for (const chunk of chunks) expect(chunk.reduce((n, m) => n + recordBytes(m), 0)).toBeLessThanOrEqual(budget);
  });

  it('reports a record too large on its own instead of sending it', () => {
    const { chunks, oversized } = chunkBySize([message(10), message(5_000), message(10)], 1_000);
    expect(oversized).toEqual([1]);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toHaveLength(2);
  });

  it('leaves room for the batch header below the broker limit', () => {
    expect(requestBudget(1_048_588)).toBeLessThan(1_048_588 - 61);
  });
});
