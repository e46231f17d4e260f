import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { schemaOf, subjectOf, type TopicSpec } from '@vigil/contracts';
import { VigilError, dependencyUnavailable } from '@vigil/errors';

/**
 * Avro through a Confluent-compatible registry (Apicurio's ccompat API locally,
 * Redpanda's built-in one under docker compose). Schemas are registered once at
 * start-up; decoding caches writer schemas by id, so records whose schema was seen
 * before keep decoding while the registry is down.
 */
export interface Codec {
  /** Register (idempotently) the schemas of these topics and remember their ids. */
  register(specs: readonly TopicSpec[]): Promise<void>;
  encode(spec: TopicSpec, value: unknown): Promise<Buffer>;
  decode(bytes: Buffer | null): Promise<unknown>;
  /** The registry answers at all (used by readiness and to resume a paused stage). */
  healthy(): Promise<boolean>;
}

const MAGIC_BYTE = 0;

function statusOf(err: unknown): number | undefined {
  if (err && typeof err === 'object' && 'status' in err && typeof (err as { status: unknown }).status === 'number') {
    return (err as { status: number }).status;
  }
  return undefined;
}

export function createCodec(url: string): Codec {
  const registry = new SchemaRegistry({ host: url, retry: { retries: 1, initialRetryTimeInSecs: 0.1 } });
  const ids = new Map<string, number>();

  async function registerOne(spec: TopicSpec): Promise<void> {
    const response = await fetch(`${url}/subjects/${encodeURIComponent(subjectOf(spec))}/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ schemaType: 'AVRO', schema: schemaOf(spec) }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`registering ${subjectOf(spec)} failed: HTTP ${response.status} ${await response.text()}`);
    const { id } = (await response.json()) as { id: number };
    ids.set(spec.name, id);
  }

  return {
    async register(specs) {
      for (const spec of specs.filter((s) => s.schemaFile !== null)) await registerOne(spec);
    },

    async encode(spec, value) {
      const id = ids.get(spec.name);
      if (id === undefined) throw new Error(`schema of ${spec.name} not registered; call register() at start-up`);
      try {
        return await registry.encode(id, value);
      } catch (err) {
        if (err instanceof Error && err.name === 'ConfluentSchemaRegistryValidationError') {
          throw new VigilError('RECORD_REJECTED', `record does not match the ${spec.name} schema`, {}, { cause: err });
        }
        throw dependencyUnavailable('schema-registry', err);
      }
    },

    async decode(bytes) {
      if (bytes === null || bytes.length < 5 || bytes[0] !== MAGIC_BYTE) {
        throw new VigilError('RECORD_UNDECODABLE', 'record is not schema-registry framed Avro');
      }
      const schemaId = bytes.readInt32BE(1);
      try {
        await registry.getSchema(schemaId);
      } catch (err) {
        const status = statusOf(err);
        // A 404 may be a registry that lost its storage or a producer ahead of us:
        // retry rather than dead-letter, so nothing is lost while it is sorted out.
        if (status === 404) throw new VigilError('SCHEMA_UNKNOWN', `schema id ${schemaId} is unknown to the registry`, { dependency: 'schema-registry' }, { cause: err });
        throw dependencyUnavailable('schema-registry', err);
      }
      try {
        return await registry.decode(bytes);
      } catch (err) {
        throw new VigilError('RECORD_UNDECODABLE', `record bytes do not match schema id ${schemaId}`, {}, { cause: err });
      }
    },

    async healthy() {
      try {
        const response = await fetch(`${url}/subjects`, { signal: AbortSignal.timeout(2000) });
        return response.ok;
      } catch {
        return false;
      }
    },
  };
}

export { SchemaType };
