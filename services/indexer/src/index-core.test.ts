import { describe, expect, it } from 'vitest';
import { deterministicId, randomId, topics, type DuplicateNotice, type Incident } from '@vigil/contracts';
import { sampleAlert } from '@vigil/contracts/testing';
import { INCIDENT_INDEX } from '@vigil/search';
import { indexDecision, indexTimeClaim, planSlice } from './index-core.ts';

const day = Date.UTC(2026, 10, 20, 23, 59);

describe('indexDecision', () => {
  it('merges a canonical alert into its daily index by id, setting dedup fields only on creation', () => {
    const alert = sampleAlert({ id: 'a1', event_time: day, dedup_count: 1, first_seen: day, last_seen: day });
    const d = indexDecision(topics.alerts.name, alert, 42);
    expect(d.kind).toBe('write');
    if (d.kind !== 'write' || d.op.kind !== 'merge') throw new Error('expected a merge');
    expect(d.op).toMatchObject({ index: 'vigil-alerts-2026.11.20', id: 'a1' });
    // A later notice's count must survive a redelivered canonical alert.
    expect(d.op.doc).not.toHaveProperty('dedup_count');
    expect(d.op.doc).not.toHaveProperty('first_seen');
    expect(d.op.upsert).toMatchObject({ dedup_count: 1, first_seen: day, indexed_at: 42 });
  });

  it('writes a duplicate notice as absolute values into the canonical alert, in its index', () => {
    const notice: DuplicateNotice = { tenant_id: 't', canonical_id: 'a1', canonical_event_time: day, duplicate_id: 'a2', fingerprint: 'f', count: 7, first_seen: day - 5, last_seen: day + 9 };
    const d = indexDecision(topics.duplicates.name, notice, 0);
    if (d.kind !== 'write' || d.op.kind !== 'merge') throw new Error('expected a merge');
    expect(d.op).toMatchObject({ index: 'vigil-alerts-2026.11.20', id: 'a1', doc: { dedup_count: 7, first_seen: day - 5, last_seen: day + 9 } });
    expect(d.op.upsert).toMatchObject({ id: 'a1', tenant_id: 't', dedup_count: 7 });
  });

  it('versions incidents by revision so an older revision never overwrites a newer one', () => {
    const incident = { id: 'i1', revision: 4 } as Incident;
    const d = indexDecision(topics.incidents.name, incident, 0);
    expect(d).toEqual({ kind: 'write', op: { kind: 'versioned', index: INCIDENT_INDEX, id: 'i1', version: 4, doc: incident } });
  });

  it('rejects records of topics it does not own', () => {
    expect(indexDecision('alerts.raw.v1', {}, 0).kind).toBe('reject');
  });
});

describe('index time of a re-sendable alert id', () => {
  const nextDay = day + 24 * 60 * 60 * 1000;

  it('places a re-sent alert by the first recorded event time, not its own', () => {
    const resent = sampleAlert({ id: 'a1', event_time: nextDay });
    const d = indexDecision(topics.alerts.name, resent, 0, day);
    expect(d).toMatchObject({ kind: 'write', op: { index: 'vigil-alerts-2026.11.20', id: 'a1', doc: { event_time: nextDay } } });
  });

  it('claims the alert id for alerts and the canonical id for notices', () => {
    const notice: DuplicateNotice = { tenant_id: 't', canonical_id: 'a1', canonical_event_time: day, duplicate_id: 'a2', fingerprint: 'f', count: 2, first_seen: day, last_seen: day };
    expect(indexTimeClaim(topics.alerts.name, sampleAlert({ id: 'a1', tenant_id: 't', event_time: nextDay }))).toEqual({ tenantId: 't', alertId: 'a1', eventTime: nextDay });
    expect(indexTimeClaim(topics.duplicates.name, notice)).toEqual({ tenantId: 't', alertId: 'a1', eventTime: day });
  });

  it('claims nothing for a random (version 4) id, which never comes again, or for incidents', () => {
    expect(indexTimeClaim(topics.alerts.name, sampleAlert({ id: randomId() }))).toBeNull();
    expect(indexTimeClaim(topics.alerts.name, sampleAlert({ id: deterministicId('vigil.alert.sensor', 't', 'vigil', 's1') }))).not.toBeNull();
    expect(indexTimeClaim(topics.incidents.name, { id: 'i1' })).toBeNull();
  });
});

describe('planSlice', () => {
  const incident = (id: string, revision: number) => indexDecision(topics.incidents.name, { id, revision } as Incident, 0);
  const alert = (id: string) => indexDecision(topics.alerts.name, sampleAlert({ id, event_time: day }), 0);

  it("sends only an incident's newest revision of the slice, whatever the order, and gives every revision its result", () => {
    const decisions = [incident('i1', 2), alert('a1'), incident('i1', 5), indexDecision('alerts.raw.v1', {}, 0), incident('i2', 1), incident('i1', 3)];
    const { ops, opOf } = planSlice(decisions);
    expect(ops.map((op) => `${op.id}${op.kind === 'versioned' ? `@${op.version}` : ''}`)).toEqual(['i1@5', 'a1', 'i2@1']);
    expect(opOf).toEqual([0, 1, 0, -1, 2, 0]);
  });

  it('keeps every alert write, even of one id (merges are not versions)', () => {
    const { ops, opOf } = planSlice([alert('a1'), alert('a1')]);
    expect(ops).toHaveLength(2);
    expect(opOf).toEqual([0, 1]);
  });
});
