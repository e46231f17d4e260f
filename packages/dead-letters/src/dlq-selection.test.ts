import { describe, expect, it } from 'vitest';
import { fitDeadLetter, fromDeadLetter, toDeadLetter, type DeadLetterEnvelope } from '@vigil/kafka';
import { deadLetterId, parsePosition, parsePositions } from './dlq-position.ts';
import type { StoredDeadLetter } from './dlq-reader.ts';
import { selectDeadLetters } from './dlq-selection.ts';
import { summarizeDeadLetters } from './dlq-summary.ts';
import { describeDeadLetter } from './dlq-view.ts';

function letter(offset: number, code: string, time: string, value: Buffer | null = Buffer.from('{"tenant_id":"acme"}')): StoredDeadLetter {
  const position = { partition: 0, offset: String(offset) };
  const envelope: DeadLetterEnvelope = { stage: 'indexer', source: { topic: 'alerts.v1', partition: 1, offset: String(100 + offset) }, error: { code, message: 'why' }, attempts: 1, time, key: Buffer.from('acme|r'), value, headers: { trace: Buffer.from('t') } };
  return { stage: 'indexer', dlqTopic: 'dlq.indexer.v1', position, id: deadLetterId('indexer', position, envelope), envelope };
}

const letters = [letter(0, 'INDEX_REJECTED', '2026-01-02T00:00:00Z'), letter(1, 'RECORD_UNDECODABLE', '2026-01-01T00:00:00Z'), letter(2, 'INDEX_REJECTED', '2026-01-03T00:00:00Z')];

describe('DLQ positions', () => {
  it('parses p:o lists, dropping duplicates, in log order', () => {
    expect(parsePositions('0:7, 0:2,0:7')).toEqual([{ partition: 0, offset: '2' }, { partition: 0, offset: '7' }]);
    expect(() => parsePosition('7')).toThrow(/partition/);
    expect(() => parsePositions(',')).toThrow();
  });

  it('names a dead letter by position and what it is about, so a recreated DLQ topic reusing offsets gets new ids', () => {
    const first = letter(0, 'INDEX_REJECTED', '2026-01-02T00:00:00Z');
    expect(first.id).toMatch(/^indexer:0:0:[0-9a-f]{16}$/);
    expect(letter(0, 'RECORD_UNDECODABLE', '2026-01-02T00:00:00Z').id).toBe(first.id);
    // Same position after the topic was recreated: another failure time or source record.
    expect(letter(0, 'INDEX_REJECTED', '2026-03-02T00:00:00Z').id).not.toBe(first.id);
    expect(deadLetterId('indexer', first.position, { ...first.envelope, source: { ...first.envelope.source, offset: '999' } })).not.toBe(first.id);
    expect(deadLetterId('dedup', first.position, first.envelope)).not.toBe(first.id);
  });
});

describe('selectDeadLetters', () => {
  it('selects by code, by positions, both, or all', () => {
    const offsets = (s: { selected: StoredDeadLetter[] }) => s.selected.map((l) => l.position.offset);
    expect(offsets(selectDeadLetters(letters, { code: 'INDEX_REJECTED' }))).toEqual(['0', '2']);
    expect(offsets(selectDeadLetters(letters, { positions: parsePositions('0:1,0:2') }))).toEqual(['1', '2']);
    expect(offsets(selectDeadLetters(letters, { code: 'INDEX_REJECTED', positions: parsePositions('0:1,0:2') }))).toEqual(['2']);
    expect(offsets(selectDeadLetters(letters, { all: true }))).toEqual(['0', '1', '2']);
    expect(selectDeadLetters(letters, { positions: parsePositions('0:9') }).missing).toEqual(['0:9']);
  });

  it('replays a source record once even when it was dead-lettered twice', () => {
    const twice = [...letters, { ...letter(7, 'INDEX_REJECTED', 't'), envelope: letters[0]!.envelope }];
    const result = selectDeadLetters(twice, { all: true });
    expect(result.selected.map((l) => l.position.offset)).toEqual(['0', '1', '2']);
    expect(result.duplicates).toBe(1);
  });

  it('leaves trimmed letters out and reports them, and still takes a whole letter of the same source', () => {
    const trimmedOf = (l: StoredDeadLetter): StoredDeadLetter => ({ ...l, envelope: { ...l.envelope, value: null, trimmed: 'value' } });
    const trimmed = trimmedOf(letters[1]!);
    const wholeAgain = { ...letter(8, 'RECORD_UNDECODABLE', 't'), envelope: letters[1]!.envelope };
    const result = selectDeadLetters([letters[0]!, trimmed, letters[2]!, wholeAgain], { all: true });
    expect(result.selected.map((l) => l.position.offset)).toEqual(['0', '2', '8']);
    expect(result.notReplayable.map((l) => l.position.offset)).toEqual(['1']);
    expect(result.duplicates).toBe(0);
    const only = selectDeadLetters([trimmed], { positions: parsePositions('0:1') });
    expect(only.selected).toEqual([]);
    expect(only.notReplayable).toEqual([trimmed]);
  });

  it('reads the trimmed mark back from a dead letter', () => {
    const whole = toDeadLetter('dlq.indexer.v1', 'indexer', { topic: 'alerts.v1', partition: 0, offset: '5', key: null, value: Buffer.alloc(4000), headers: {} }, { code: 'OUTPUT_TOO_LARGE', message: 'm', attempts: 1 }, 0);
    expect(fromDeadLetter(whole).trimmed).toBeUndefined();
    expect(fromDeadLetter(fitDeadLetter(whole, 1000)).trimmed).toBe('value');
  });

  it('refuses an empty or ambiguous selection', () => {
    expect(() => selectDeadLetters(letters, {})).toThrow(/--all/);
    expect(() => selectDeadLetters(letters, { all: true, code: 'X' })).toThrow(/cannot be combined/);
  });
});

describe('summarizeDeadLetters', () => {
  it('counts per code, replayed ones and the time range', () => {
    expect(summarizeDeadLetters('indexer', 'dlq.indexer.v1', letters, new Set([letters[1]!.id, 'indexer:0:99:0000000000000000']))).toEqual({
      stage: 'indexer',
      topic: 'dlq.indexer.v1',
      count: 3,
      replayed: 1,
      codes: [
        { code: 'INDEX_REJECTED', count: 2 },
        { code: 'RECORD_UNDECODABLE', count: 1 },
      ],
      oldest: '2026-01-01T00:00:00Z',
      newest: '2026-01-03T00:00:00Z',
    });
  });
});

describe('describeDeadLetter', () => {
  it('redacts the payload unless raw is asked for', () => {
    const redacted = JSON.stringify(describeDeadLetter(letters[0]!, { raw: false }));
    expect(redacted).not.toContain('acme"');
    expect(redacted).not.toContain(Buffer.from('{"tenant_id":"acme"}').toString('base64'));
    expect(describeDeadLetter(letters[0]!, { raw: false })['value']).toMatchObject({ bytes: 20, redacted: true });
    expect(describeDeadLetter(letters[0]!, { raw: true })['value']).toMatchObject({ bytes: 20, text: '{"tenant_id":"acme"}' });
    expect(describeDeadLetter(letter(3, 'X', 't', Buffer.from([0, 1, 2])), { raw: true })['value']).not.toHaveProperty('text');
  });
});
