import { describe, expect, it } from 'vitest';
import { avroFields } from '../testing/avro-fields.ts';
import { alertShape, correlationAuditShape, duplicateNoticeShape, incidentShape } from '../testing/record-shapes.ts';
import { schemaOf, topics } from './topics.ts';

// The Avro schemas are the contract. The TS types are pinned to the shape tables by the
// compiler (testing/record-shapes.ts); this test pins the tables to the schemas.
const asTs = { string: 'string', int: 'number', long: 'number', time: 'number', map: 'map', array: 'array' } as const;

describe.each([
  ['Alert', topics.alerts, alertShape],
  ['DuplicateNotice', topics.duplicates, duplicateNoticeShape],
  ['Incident', topics.incidents, incidentShape],
  ['CorrelationAudit', topics.correlationAudit, correlationAuditShape],
] as const)('%s: TS type and Avro schema', (_name, topic, shape) => {
  it('have the same fields, each with the same kind and nullability', () => {
    const fromAvro = Object.fromEntries(avroFields(schemaOf(topic)).map((f) => [f.name, `${asTs[f.kind]}${f.nullable ? '?' : ''}`]));
    expect(shape).toEqual(fromAvro);
  });
});
