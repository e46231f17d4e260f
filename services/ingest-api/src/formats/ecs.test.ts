import { describe, expect, it } from 'vitest';
import { describeFixtures } from '../../testing/formats/fixture-suite.ts';
import { mapEcs } from './ecs.ts';

describeFixtures('ecs', mapEcs);

describe('mapEcs', () => {
  const now = Date.parse('2025-03-14T12:01:00Z');
  const doc = { '@timestamp': '2025-03-14T12:00:00Z', event: { kind: 'alert' }, rule: { id: 'r-1' } };

  it('names the rule after its id when the source gives no name', () => {
    expect(mapEcs(doc, { now })).toMatchObject({ ok: true, draft: { rule_id: 'r-1', rule_name: 'r-1' } });
  });

  it('takes rule.name as the id when the source gives only a name (Elastic Agent Zeek notices)', () => {
    expect(mapEcs({ ...doc, rule: { name: 'SSH::Password_Guessing' } }, { now })).toMatchObject({ ok: true, draft: { rule_id: 'SSH::Password_Guessing', rule_name: 'SSH::Password_Guessing' } });
  });

  it('takes the first value of a field written as a list (integrations, the search API fields option)', () => {
    const listed = { '@timestamp': ['2025-03-14T12:00:00Z'], 'event.kind': ['alert'], 'event.category': ['network', 'intrusion_detection'], 'rule.id': ['r-9'], 'source.ip': ['175.16.199.1'], 'user.name': ['alice', 'bob'] };
    expect(mapEcs(listed, { now })).toMatchObject({ ok: true, draft: { rule_id: 'r-9', src_ip: '175.16.199.1', user_name: 'alice', event_time: Date.parse('2025-03-14T12:00:00Z') } });
  });

  it('defaults to medium without any severity', () => {
    expect(mapEcs(doc, { now })).toMatchObject({ ok: true, draft: { severity: 'medium', severity_score: 50 } });
  });

  it('keeps the Kibana severity and clamps a disagreeing risk score into its band', () => {
    const alert = { ...doc, 'kibana.alert.rule.rule_id': 'k-1', 'kibana.alert.severity': 'high', 'kibana.alert.risk_score': 99 };
    expect(mapEcs(alert, { now })).toMatchObject({ ok: true, draft: { rule_id: 'k-1', severity: 'high', severity_score: 89 } });
  });

  it('takes the detection rule over the source event rule copied into an Elastic alert', () => {
    const alert = { ...doc, rule: { id: 'fw-7', name: 'allow-any' }, kibana: { alert: { rule: { rule_id: 'k-2', name: 'Detection' } } } };
    expect(mapEcs(alert, { now })).toMatchObject({ ok: true, draft: { rule_id: 'k-2', rule_name: 'Detection', source_product: 'Elastic Security' } });
  });

  it('rejects a Kibana severity outside its vocabulary', () => {
    const alert = { ...doc, 'kibana.alert.rule.rule_id': 'k-1', 'kibana.alert.severity': 'severe' };
    expect(mapEcs(alert, { now })).toMatchObject({ ok: false, code: 'ALERT_SCHEMA_INVALID', path: 'kibana.alert.severity' });
  });
});
