import { describe, expect, it } from 'vitest';
import { describeFixtures } from '../../testing/formats/fixture-suite.ts';
import { mapZeek, zeekSeverity } from './zeek.ts';

describeFixtures('zeek', mapZeek);

describe('zeekSeverity', () => {
  it('is medium for a logged notice and high once policy escalates it', () => {
    expect(zeekSeverity(['Notice::ACTION_LOG'])).toEqual({ severity: 'medium', severity_score: 50 });
    expect(zeekSeverity(['Notice::ACTION_LOG', 'Notice::ACTION_ALARM']).severity).toBe('high');
    expect(zeekSeverity(['Notice::ACTION_DROP']).severity).toBe('high');
  });
});

describe('mapZeek', () => {
  const now = Date.parse('2025-03-14T12:00:00Z');
  const notice = { ts: 1741953600.5, note: 'Weird::Activity', msg: 'x' };

  it('uses the note as the name when msg is absent, and no category without a module', () => {
    const result = mapZeek({ ts: 1741953600.5, note: 'CustomNotice' }, { now });
    expect(result).toMatchObject({ ok: true, draft: { rule_id: 'CustomNotice', rule_name: 'CustomNotice', rule_category: null } });
  });

  it('rounds epoch-second floats to the millisecond', () => {
    const result = mapZeek(notice, { now });
    expect(result.ok && result.draft.event_time).toBe(1741953600500);
  });

  it('prefers id.resp_p over p for the destination port', () => {
    const result = mapZeek({ ...notice, 'id.resp_p': 443, p: 8443 }, { now });
    expect(result.ok && result.draft.dst_port).toBe(443);
  });
});
