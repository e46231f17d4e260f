import { describe, expect, it } from 'vitest';
import { allTopics, schemaOf, stages } from './topics.ts';

describe('topic registry', () => {
  it('has unique names', () => {
    const names = allTopics.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('loads a parseable Avro record schema for every typed topic', () => {
    for (const t of allTopics.filter((x) => x.schemaFile !== null)) {
      const schema = JSON.parse(schemaOf(t)) as { type: string; fields: unknown[] };
      expect(schema.type, t.name).toBe('record');
      expect(schema.fields.length, t.name).toBeGreaterThan(0);
    }
  });

  it('gives every stage a raw-bytes DLQ that no other stage shares', () => {
    const dlqs = Object.values(stages).map((s) => s.dlq);
    expect(new Set(dlqs.map((d) => d.name)).size).toBe(dlqs.length);
    for (const d of dlqs) expect(d.schemaFile).toBeNull();
  });
});
