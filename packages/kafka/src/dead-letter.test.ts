import { describe, expect, it } from 'vitest';
import { dlqHeader, fromDeadLetter, toDeadLetter } from './dead-letter.ts';
import { REPLAY_OF_HEADER, toReplayRecord } from './dlq-replay.ts';

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

  it('replays with the original key, value and headers plus vigil.replay.of', () => {
    const letter = toDeadLetter('dlq.indexer.v1', 'indexer', source, { code: 'INDEX_REJECTED', message: 'm', attempts: 1 }, 0);
    const stored = { stage: 'indexer', dlqTopic: 'dlq.indexer.v1', position: { partition: 0, offset: '7' }, id: 'indexer:0:7', envelope: fromDeadLetter({ key: letter.key, value: letter.value, headers: letter.headers }) };
    const replay = toReplayRecord(stored);
    expect(replay.topic).toBe('alerts.v1');
    expect(replay.key).toEqual(source.key);
    expect(replay.value).toEqual(source.value);
    expect(Object.keys(replay.headers).sort()).toEqual(['tag', 'trace', REPLAY_OF_HEADER].sort());
    expect(replay.headers[REPLAY_OF_HEADER]).toBe('dlq.indexer.v1:0:7');
  });
});
