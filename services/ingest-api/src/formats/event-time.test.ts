import { describe, expect, it } from 'vitest';
import { MAX_EVENT_AGE_MS, MAX_EVENT_SKEW_MS, resolveEventTime } from './event-time.ts';

const now = Date.parse('2025-03-14T12:00:00Z');

describe('resolveEventTime', () => {
  it('accepts both ends of the window and nothing beyond', () => {
    expect(resolveEventTime(now - MAX_EVENT_AGE_MS, 't', ['epoch-ms'], now)).toEqual({ ok: true, value: now - MAX_EVENT_AGE_MS });
    expect(resolveEventTime(now + MAX_EVENT_SKEW_MS, 't', ['epoch-ms'], now)).toEqual({ ok: true, value: now + MAX_EVENT_SKEW_MS });
    expect(resolveEventTime(now - MAX_EVENT_AGE_MS - 1, 't', ['epoch-ms'], now)).toMatchObject({ ok: false, code: 'ALERT_TIMESTAMP_INVALID', path: 't' });
    expect(resolveEventTime(now + MAX_EVENT_SKEW_MS + 1, 't', ['epoch-ms'], now)).toMatchObject({ ok: false, code: 'ALERT_TIMESTAMP_INVALID', path: 't' });
  });

  it('reads only the encodings the format allows', () => {
    expect(resolveEventTime('2025-03-14T12:00:00Z', 't', ['epoch-ms'], now).ok).toBe(false);
    expect(resolveEventTime(now, 't', ['rfc3339'], now).ok).toBe(false);
    expect(resolveEventTime(now / 1000, 't', ['epoch-seconds'], now)).toEqual({ ok: true, value: now });
  });

  it.each([
    ['missing', undefined, 't is required'],
    ['null', null, 't is required'],
    ['a fractional millisecond count', now + 0.5, 't must be integer epoch milliseconds'],
    ['a boolean', true, 't must be integer epoch milliseconds'],
    ['beyond the representable range', 1e300, 't must be integer epoch milliseconds'],
  ])('explains a time that is %s', (_what, value, message) => {
    const result = resolveEventTime(value, 't', ['epoch-ms'], now);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
  });

  it('hints at epoch seconds only when that reading would have been in range', () => {
    const seconds = resolveEventTime(now / 1000, 't', ['epoch-ms'], now);
    const ancient = resolveEventTime(1000, 't', ['epoch-ms'], now);
    expect(!seconds.ok && seconds.message).toContain('looks like epoch seconds');
    expect(!ancient.ok && ancient.message).not.toContain('looks like epoch seconds');
  });
});
