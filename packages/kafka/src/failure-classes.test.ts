import { describe, expect, it } from 'vitest';
import { VigilError, dependencyUnavailable } from '@vigil/errors';
import { classifyFailure, decideFailure, type FailureContext } from './failure-classes.ts';

const at = (attempt: number, failingFor = 0): FailureContext => ({ attempt, maxAttempts: 3, failingSince: 1_000, now: 1_000 + failingFor, schemaGraceMs: 5_000 });

const outage = dependencyUnavailable('redis', new Error('ECONNREFUSED'));
const schemaUnknown = new VigilError('SCHEMA_UNKNOWN', 'schema id 99 is unknown to the registry');
const undecodable = new VigilError('RECORD_UNDECODABLE', 'truncated');
const tooLarge = new VigilError('OUTPUT_TOO_LARGE', 'output of 2 MB');
const script = new VigilError('STORE_OPERATION_FAILED', 'redis script error');

describe('classifyFailure', () => {
  it.each([
    ['DEPENDENCY_UNAVAILABLE', outage, 'outage', 'DEPENDENCY_UNAVAILABLE'],
    ['SCHEMA_UNKNOWN', schemaUnknown, 'poison', 'SCHEMA_UNKNOWN'],
    ['RECORD_UNDECODABLE', undecodable, 'poison', 'RECORD_UNDECODABLE'],
    ['OUTPUT_TOO_LARGE', tooLarge, 'poison', 'OUTPUT_TOO_LARGE'],
    ['STORE_OPERATION_FAILED', script, 'bug', 'STORE_OPERATION_FAILED'],
    ['another retriable catalogue error', new VigilError('INTERNAL', 'x'), 'bug', 'STAGE_UNHANDLED_ERROR'],
    ['a plain Error', new TypeError('x is undefined'), 'bug', 'STAGE_UNHANDLED_ERROR'],
    ['a thrown string', 'boom', 'bug', 'STAGE_UNHANDLED_ERROR'],
  ])('%s', (_, error, cls, code) => {
    expect(classifyFailure(error)).toMatchObject({ class: cls, code });
  });
});

describe('decideFailure', () => {
  it.each([
    ['an outage before its last attempt retries', outage, at(2), 'retry'],
    ['an outage on its last attempt pauses', outage, at(3), 'pause'],
    ['an outage never dead-letters, however long', outage, at(99, 1e9), 'pause'],
    ['poison is dead-lettered on its first attempt', undecodable, at(1), 'dead-letter'],
    ['a too-large output is dead-lettered at once', tooLarge, at(1), 'dead-letter'],
    ['an unknown schema id within its grace is retried', schemaUnknown, at(50, 4_999), 'retry'],
    ['an unknown schema id past its grace is dead-lettered', schemaUnknown, at(2, 5_000), 'dead-letter'],
    ['a bug before its last attempt is retried', script, at(2), 'retry'],
    ['a bug on its last attempt is dead-lettered', script, at(3), 'dead-letter'],
  ])('%s', (_, error, ctx, action) => {
    expect(decideFailure(error, ctx).action).toBe(action);
  });

  it('dead-letters a bug with its own code and says how many attempts it had', () => {
    expect(decideFailure(script, at(3))).toEqual({ action: 'dead-letter', class: 'bug', code: 'STORE_OPERATION_FAILED', message: 'redis script error (after 3 attempts)' });
    expect(decideFailure(new Error('boom'), at(3))).toMatchObject({ code: 'STAGE_UNHANDLED_ERROR' });
  });

  it('dead-letters an unknown schema id as SCHEMA_UNKNOWN', () => {
    expect(decideFailure(schemaUnknown, at(1, 6_000))).toMatchObject({ code: 'SCHEMA_UNKNOWN', class: 'poison' });
  });
});
