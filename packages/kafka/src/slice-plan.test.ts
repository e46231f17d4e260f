import { describe, expect, it } from 'vitest';
import { VigilError } from '@vigil/errors';
import { topics } from '@vigil/contracts';
import { deferred, done, fail, reject } from './outcome.ts';
import { planSlice } from './slice-plan.ts';

const out = { topic: topics.alerts, key: 'k', value: {} };
/** The first record's attempt, with a policy of `max` attempts and a 5 s schema grace. */
const ctx = (attempt: number, max: number, failingFor = 0) => ({ attempt, maxAttempts: max, failingSince: 1_000, now: 1_000 + failingFor, schemaGraceMs: 5_000 });
const dependency = new VigilError('DEPENDENCY_UNAVAILABLE', 'redis is unavailable', { dependency: 'redis' });

describe('planSlice', () => {
  it('settles everything when all records are done or rejected', () => {
    const plan = planSlice([done([out]), reject('RECORD_REJECTED', 'bad'), done()], ctx(1, 5));
    expect(plan.settled).toBe(3);
    expect(plan.outputs).toHaveLength(1);
    expect(plan.deadLetters).toEqual([{ index: 1, code: 'RECORD_REJECTED', message: 'bad' }]);
    expect(plan.dropped).toBe(1);
    expect(plan.blocked).toBeNull();
  });

  it('blocks at the first dependency failure and keeps only the prefix', () => {
    const plan = planSlice([done([out]), fail(dependency), done([out])], ctx(5, 5));
    expect(plan.settled).toBe(1);
    expect(plan.outputs).toHaveLength(1);
    expect(plan.blocked?.index).toBe(1);
    expect(plan.blocked?.failure).toMatchObject({ action: 'retry', class: 'outage' });
  });

  it('never dead-letters a dependency failure, however many attempts', () => {
    const plan = planSlice([fail(dependency)], ctx(99, 5, 1e9));
    expect(plan.deadLetters).toEqual([]);
    expect(plan.blocked?.failure.action).toBe('pause');
    expect(plan.settled).toBe(0);
  });

  it('retries unknown errors, then dead-letters them as STAGE_UNHANDLED_ERROR', () => {
    expect(planSlice([fail(new Error('boom'))], ctx(2, 3)).blocked?.failure).toMatchObject({ action: 'retry', class: 'bug' });
    const last = planSlice([fail(new Error('boom'))], ctx(3, 3));
    expect(last.deadLetters).toEqual([{ index: 0, code: 'STAGE_UNHANDLED_ERROR', message: 'boom (after 3 attempts)' }]);
    expect(last.settled).toBe(1);
  });

  it('holds deferred records behind a failure, and releases them once it is dead-lettered on its last attempt', () => {
    const retrying = planSlice([done(), fail(new Error('boom')), deferred(), deferred()], ctx(1, 3));
    expect(retrying.settled).toBe(1);
    expect(retrying.blocked).toMatchObject({ index: 1, failure: { action: 'retry', class: 'bug' } });
    const last = planSlice([fail(new Error('boom')), deferred(), deferred()], ctx(3, 3));
    expect(last.deadLetters).toEqual([{ index: 0, code: 'STAGE_UNHANDLED_ERROR', message: 'boom (after 3 attempts)' }]);
    expect(last.settled).toBe(1);
    expect(last.blocked).toMatchObject({ index: 1, failure: { action: 'deferred' } });
  });

  it('treats a deferred first record as a handler bug: retried, then dead-lettered', () => {
    expect(planSlice([deferred(), done()], ctx(1, 3)).blocked?.failure).toMatchObject({ action: 'retry', class: 'bug' });
    const last = planSlice([deferred(), done()], ctx(3, 3));
    expect(last.deadLetters.map((d) => d.code)).toEqual(['STAGE_UNHANDLED_ERROR']);
    expect(last.settled).toBe(2);
  });

  it('dead-letters non-retriable catalogue errors at once', () => {
    const plan = planSlice([fail(new VigilError('RECORD_UNDECODABLE', 'garbage'))], ctx(1, 5));
    expect(plan.deadLetters[0]?.code).toBe('RECORD_UNDECODABLE');
    expect(plan.settled).toBe(1);
  });

  it('retries an unknown schema id within its grace, then dead-letters it as SCHEMA_UNKNOWN', () => {
    const unknown = fail(new VigilError('SCHEMA_UNKNOWN', 'schema id 9'));
    expect(planSlice([unknown, done()], ctx(10, 5, 4_999)).blocked?.failure).toMatchObject({ action: 'retry' });
    const expired = planSlice([unknown, done()], ctx(2, 5, 5_000));
    expect(expired.deadLetters.map((d) => d.code)).toEqual(['SCHEMA_UNKNOWN']);
    expect(expired.settled).toBe(2);
  });

  it('gives a record that fails behind the first one its own first attempt', () => {
    const plan = planSlice([done(), fail(new Error('boom'))], ctx(3, 3));
    expect(plan.deadLetters).toEqual([]);
    expect(plan.blocked).toMatchObject({ index: 1, failure: { action: 'retry' } });
  });
});
