import { describe, expect, it } from 'vitest';
import { VigilError } from '@vigil/errors';
import { topics } from '@vigil/contracts';
import { deferred, done, fail, reject } from './outcome.ts';
import { planSlice } from './slice-plan.ts';

const out = { topic: topics.alerts, key: 'k', value: {} };
const dependency = new VigilError('DEPENDENCY_UNAVAILABLE', 'redis is unavailable', { dependency: 'redis' });

describe('planSlice', () => {
  it('settles everything when all records are done or rejected', () => {
    const plan = planSlice([done([out]), reject('RECORD_REJECTED', 'bad'), done()], 1, 5);
    expect(plan.settled).toBe(3);
    expect(plan.outputs).toHaveLength(1);
    expect(plan.deadLetters).toEqual([{ index: 1, code: 'RECORD_REJECTED', message: 'bad' }]);
    expect(plan.dropped).toBe(1);
    expect(plan.blocked).toBeNull();
  });

  it('blocks at the first dependency failure and keeps only the prefix', () => {
    const plan = planSlice([done([out]), fail(dependency), done([out])], 5, 5);
    expect(plan.settled).toBe(1);
    expect(plan.outputs).toHaveLength(1);
    expect(plan.blocked?.index).toBe(1);
    expect(plan.blocked?.failure.kind).toBe('dependency');
  });

  it('never dead-letters a dependency failure, however many attempts', () => {
    const plan = planSlice([fail(dependency)], 99, 5);
    expect(plan.deadLetters).toEqual([]);
    expect(plan.settled).toBe(0);
  });

  it('retries unknown errors, then dead-letters them as STAGE_UNHANDLED_ERROR', () => {
    expect(planSlice([fail(new Error('boom'))], 2, 3).blocked?.failure.kind).toBe('unknown');
    const last = planSlice([fail(new Error('boom'))], 3, 3);
    expect(last.deadLetters).toEqual([{ index: 0, code: 'STAGE_UNHANDLED_ERROR', message: 'boom' }]);
    expect(last.settled).toBe(1);
  });

  it('holds deferred records behind a failure, and releases them once it is dead-lettered on its last attempt', () => {
    const retrying = planSlice([done(), fail(new Error('boom')), deferred(), deferred()], 1, 3);
    expect(retrying.settled).toBe(1);
    expect(retrying.blocked).toMatchObject({ index: 1, failure: { kind: 'unknown' } });
    const last = planSlice([fail(new Error('boom')), deferred(), deferred()], 3, 3);
    expect(last.deadLetters).toEqual([{ index: 0, code: 'STAGE_UNHANDLED_ERROR', message: 'boom' }]);
    expect(last.settled).toBe(1);
    expect(last.blocked).toMatchObject({ index: 1, failure: { kind: 'deferred' } });
  });

  it('treats a deferred first record as a handler bug: retried, then dead-lettered', () => {
    expect(planSlice([deferred(), done()], 1, 3).blocked?.failure.kind).toBe('unknown');
    const last = planSlice([deferred(), done()], 3, 3);
    expect(last.deadLetters.map((d) => d.code)).toEqual(['STAGE_UNHANDLED_ERROR']);
    expect(last.settled).toBe(2);
  });

  it('dead-letters non-retriable catalogue errors at once', () => {
    const plan = planSlice([fail(new VigilError('RECORD_UNDECODABLE', 'garbage'))], 1, 5);
    expect(plan.deadLetters[0]?.code).toBe('RECORD_UNDECODABLE');
    expect(plan.settled).toBe(1);
  });

  it('treats an unknown schema id as a dependency problem, not poison', () => {
    const plan = planSlice([fail(new VigilError('SCHEMA_UNKNOWN', 'schema id 9'))], 10, 5);
    expect(plan.blocked?.failure.kind).toBe('dependency');
  });
});
