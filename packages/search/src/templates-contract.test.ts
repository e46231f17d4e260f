import { describe, expect, it } from 'vitest';
import { schemaOf, topics } from '@vigil/contracts';
import { avroFields, type AvroKind } from '@vigil/contracts/testing';
import { alertMappings, incidentMappings } from './templates.ts';

// The Avro schemas are the contract; the strict index mappings must cover exactly their
// fields (plus what only the index adds), each with a type that can hold the value.
const fits: Record<AvroKind, readonly string[]> = {
  string: ['keyword', 'text', 'ip'],
  int: ['integer', 'long'],
  long: ['long'],
  time: ['date'],
  map: ['flat_object', 'object'],
  array: ['keyword'],
};

describe.each([
  ['alerts', topics.alerts, alertMappings.properties, ['indexed_at']],
  ['incidents', topics.incidents, incidentMappings.properties, []],
] as const)('%s mapping and Avro schema', (_name, topic, properties, indexOnly) => {
  const fields = avroFields(schemaOf(topic));

  it('map every schema field and nothing else but the index-only fields', () => {
    expect(Object.keys(properties).sort()).toEqual([...fields.map((f) => f.name), ...indexOnly].sort());
  });

  it('give each field a type that holds its Avro kind', () => {
    const props = properties as Record<string, { type: string }>;
    for (const field of fields) expect(fits[field.kind], `${field.name}: ${props[field.name]?.type} for Avro ${field.kind}`).toContain(props[field.name]?.type);
  });
});
