import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import type { HttpStoreConnection } from '@vigil/config';
import { schemaOf, subjectOf, type TopicSpec } from '@vigil/contracts';
import { VigilError, dependencyUnavailable } from '@vigil/errors';
import { createRegistryHttp, isTlsTrustError, registryAuthFailure, registryConnectionOf } from './registry-http.ts';

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

const refusesCredentials = (status: number | undefined): status is 401 | 403 => status === 401 || status === 403;

/** `target`: a plain URL, or the registry's connection (TLS trust, basic auth) from `loadStoreConnections`. */
export function createCodec(target: string | HttpStoreConnection): Codec {
  const http = createRegistryHttp(registryConnectionOf(target));
  const registry = new SchemaRegistry({
    host: http.url,
    ...(http.auth ? { auth: { username: http.auth.username, password: http.auth.password } } : {}),
    agent: http.agent,
    retry: { retries: 1, initialRetryTimeInSecs: 0.1 },
  });
  const ids = new Map<string, number>();
  const encoders = new Map<string, (value: unknown) => Buffer>();

  async function registerOne(spec: TopicSpec): Promise<void> {
    // Start-up: a registry that refuses our credentials or certificate stops the service
    // with STORE_AUTH_FAILED instead of being retried as if it were down.
    const response = await http.request('POST', `/subjects/${encodeURIComponent(subjectOf(spec))}/versions`, JSON.stringify({ schemaType: 'AVRO', schema: schemaOf(spec) }), 10_000).catch((err: unknown) => {
      throw isTlsTrustError(err) ? registryAuthFailure('the connection', undefined, err) : err;
    });
    if (refusesCredentials(response.status)) throw registryAuthFailure(`registering ${subjectOf(spec)}`, response.status);
    if (response.status < 200 || response.status > 299) throw new Error(`registering ${subjectOf(spec)} failed: HTTP ${response.status} ${response.text.slice(0, 500)}`);
    const { id } = JSON.parse(response.text) as { id: number };
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
        // Credentials that stop working mid-run (rotated on the registry) are not the
        // records' fault: the partition pauses (healthy() stays false) and the cause names
        // the credentials, rather than every record being dead-lettered.
        if (refusesCredentials(status) || isTlsTrustError(err)) throw dependencyUnavailable('schema-registry', registryAuthFailure(`schema id ${schemaId}`, status, err));
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
        const response = await http.request('GET', '/subjects', undefined, 2000);
        return response.status >= 200 && response.status <= 299;
      } catch {
        return false;
      }
    },
  };
}

export { SchemaType };
