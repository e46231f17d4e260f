import { describe, expect, it } from 'vitest';
import { dlqHeader, fromDeadLetter, toDeadLetter } from '@vigil/kafka';
import { REPLAY_OF_HEADER, toReplayRecord } from './dlq-replay.ts';

// A record whose headers include a stale vigil.dlq.* one: replay must not carry it back.
const headers = { trace: Buffer.from('abc'), tag: [Buffer.from('x'), Buffer.from('y')], [dlqHeader.errorCode]: 'STALE' };
const source = { topic: 'alerts.v1', partition: 2, offset: '41', key: Buffer.from('acme|r1'), value: Buffer.from([0xde, 0xad]), headers };

describe('replay record', () => {
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
