import { describe, expect, it } from 'vitest';
import type { BackoffPolicy } from './backoff.ts';
import { headAt, nextStep, writeFailureBlock, type HeadState, type NextStep } from './head-decision.ts';
import type { BlockKind } from './slice-plan.ts';

const policy: BackoffPolicy = { baseMs: 100, maxMs: 1_000, maxAttempts: 3 };
const head: HeadState = { offset: '7', attempt: 2, since: 1_000 };
const now = 5_000;
// random() = 0.5: half the ceiling (attempt 3: 100·2² = 400 ms), so the delays below are exact.
const half = () => 0.5;

describe('nextStep', () => {
  const cases: Array<{ name: string; blocked: BlockKind | null; expected: NextStep }> = [
    { name: 'nothing blocked: go on', blocked: null, expected: { step: 'continue' } },
    { name: 'deferred behind a settled record: go on at once', blocked: { action: 'deferred', message: 'held back' }, expected: { step: 'continue' } },
    {
      name: 'an outage out of attempts: pause, fresh attempts after the resume, first failure time kept',
      blocked: { action: 'pause', class: 'outage', message: 'redis down' },
      expected: { step: 'pause', head: { offset: '7', attempt: 1, since: 1_000 }, message: 'redis down' },
    },
    {
      name: 'an outage with attempts left: next attempt after a jittered backoff',
      blocked: { action: 'retry', class: 'outage', message: 'redis down' },
      expected: { step: 'retry', head: { offset: '7', attempt: 3, since: 1_000 }, until: now + 200, message: 'redis down', class: 'outage' },
    },
    {
      name: 'a bug with attempts left: retried like an outage',
      blocked: { action: 'retry', class: 'bug', message: 'boom' },
      expected: { step: 'retry', head: { offset: '7', attempt: 3, since: 1_000 }, until: now + 200, message: 'boom', class: 'bug' },
    },
  ];
  for (const c of cases) it(c.name, () => expect(nextStep(c.blocked, head, policy, now, half)).toEqual(c.expected));

  it('never waits longer than the policy maximum', () => {
    const step = nextStep({ action: 'retry', class: 'outage', message: 'x' }, { ...head, attempt: 20 }, policy, now, () => 0.999);
    expect(step.step === 'retry' && step.until - now).toBeLessThan(policy.maxMs);
  });
});

describe('headAt', () => {
  it('keeps the state of the record that failed before, starts fresh for another one', () => {
    expect(headAt(head, '7', now)).toBe(head);
    expect(headAt(head, '8', now)).toEqual({ offset: '8', attempt: 1, since: now });
    expect(headAt(undefined, '0', now)).toEqual({ offset: '0', attempt: 1, since: now });
  });
});

describe('writeFailureBlock', () => {
  it('retries a failed write like an outage, then pauses', () => {
    expect(writeFailureBlock({ ...head, attempt: 2 }, policy, 'broker')).toEqual({ action: 'retry', class: 'outage', message: 'broker' });
    expect(writeFailureBlock({ ...head, attempt: 3 }, policy, 'broker')).toEqual({ action: 'pause', class: 'outage', message: 'broker' });
  });
});
