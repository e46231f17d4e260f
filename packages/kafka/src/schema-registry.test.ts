import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { schemaOf, topics } from '@vigil/contracts';
import { sampleAlert } from '@vigil/contracts/testing';
import { isVigilError } from '@vigil/errors';
import { framedEncoder } from './schema-registry.ts';

// The registry client's own wire format: magic byte 0, the schema id big-endian, avsc's toBuffer.
const type = avro.Type.forSchema(JSON.parse(schemaOf(topics.alertsRaw)) as avro.Schema);
const clientBytes = (id: number, value: unknown) => {
  const idBytes = Buffer.alloc(4);
  idBytes.writeInt32BE(id);
  return Buffer.concat([Buffer.alloc(1), idBytes, type.toBuffer(value)]);
};

describe('framedEncoder', () => {
  it('writes the same bytes as the registry client, record after record', () => {
    const encode = framedEncoder(42, topics.alertsRaw, type);
    const alerts = [sampleAlert(), sampleAlert({ id: 'a-2', host: 'web-1', labels: { env: 'prod' }, raw: 'x'.repeat(5000) }), sampleAlert({ id: 'a-3' })];
    for (const alert of alerts) expect(encode(alert).equals(clientBytes(42, alert))).toBe(true);
  });

  it('grows its scratch buffer for a record larger than it, keeping the frame', () => {
    const encode = framedEncoder(7, topics.alertsRaw, type);
    const big = sampleAlert({ raw: 'é'.repeat(200_000) });
    expect(encode(big).equals(clientBytes(7, big))).toBe(true);
    expect(encode(sampleAlert()).equals(clientBytes(7, sampleAlert()))).toBe(true);
  });

  it('refuses a value that does not fit the schema as RECORD_REJECTED, naming the path', () => {
    const encode = framedEncoder(1, topics.alertsRaw, type);
    let thrown: unknown;
    try {
      encode({ ...sampleAlert(), severity_score: 'high' });
    } catch (err) {
      thrown = err;
    }
    expect(isVigilError(thrown) && thrown.code).toBe('RECORD_REJECTED');
    expect(String((thrown as Error).cause)).toContain('severity_score');
  });
});
