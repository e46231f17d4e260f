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
/** Magic byte plus the 4-byte schema id, the framing every registry-aware client expects. */
const FRAME_BYTES = 5;

/**
 * The avsc Type the registry client builds for an Avro schema (its `getSchema` returns
 * it). Only the two methods the encoder needs; avsc itself is the client's dependency.
 */
interface AvroWriter {
  encode(value: unknown, buf: Buffer, pos: number): number;
  isValid(value: unknown, opts?: { errorHook?: (path: string[]) => void }): boolean;
}

/**
 * Encodes into one growing scratch buffer and copies out exactly the framed bytes: the
 * same bytes as the client's `encode` (magic byte, id, avsc's `toBuffer`), with one
 * small allocation per record instead of three and no promise per record. avsc's
 * writers refuse a value that does not match the schema (wrong type, missing field),
 * as the client's encode did; `isValid` then names the paths for the error.
 */
export function framedEncoder(id: number, spec: TopicSpec, type: AvroWriter): (value: unknown) => Buffer {
  let scratch = Buffer.alloc(64 * 1024);
  scratch[0] = MAGIC_BYTE;
  scratch.writeInt32BE(id, 1);
  const write = (value: unknown): number => {
    try {
      return type.encode(value, scratch, FRAME_BYTES);
    } catch (err) {
      // The type is local (no registry call here): a throw is the value not fitting the schema.
      const paths: string[] = [];
      type.isValid(value, { errorHook: (path) => paths.push(path.join('.')) });
      const cause = new Error(`invalid at ${paths.join(', ') || '(unknown path)'}`, { cause: err });
      throw new VigilError('RECORD_REJECTED', `record does not match the ${spec.name} schema`, {}, { cause });
    }
  };
  return (value) => {
    let end = write(value);
    if (end < 0) {
      // encode returns minus the missing bytes; the frame is kept by copying it over.
      const bigger = Buffer.alloc(Math.max(scratch.length * 2, scratch.length - end));
      scratch.copy(bigger, 0, 0, FRAME_BYTES);
      scratch = bigger;
      end = write(value);
    }
    // allocUnsafe draws small records from Node's shared pool; every byte is overwritten.
    const out = Buffer.allocUnsafe(end);
    scratch.copy(out, 0, 0, end);
    return out;
  };
}

function statusOf(err: unknown): number | undefined {
  if (err && typeof err === 'object' && 'status' in err && typeof (err as { status: unknown }).status === 'number') {
    return (err as { status: number }).status;
  }
  return undefined;
}

export function createCodec(url: string): Codec {
  const registry = new SchemaRegistry({ host: url, retry: { retries: 1, initialRetryTimeInSecs: 0.1 } });
  const ids = new Map<string, number>();
  const encoders = new Map<string, (value: unknown) => Buffer>();

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
    // The schema as the registry holds it under that id, parsed once by the client.
    encoders.set(spec.name, framedEncoder(id, spec, (await registry.getSchema(id)) as unknown as AvroWriter));
  }

  return {
    async register(specs) {
      for (const spec of specs.filter((s) => s.schemaFile !== null)) await registerOne(spec);
    },

    encode(spec, value) {
      const encode = encoders.get(spec.name);
      if (encode === undefined) return Promise.reject(new Error(`schema of ${spec.name} not registered; call register() at start-up`));
      try {
        return Promise.resolve(encode(value));
      } catch (err) {
        return Promise.reject(err as Error);
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
