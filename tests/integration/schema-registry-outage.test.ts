import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type DuplicateNotice } from '@vigil/contracts';
import { sampleAlert } from '@vigil/contracts/testing';
import { classify, createCodec, type Codec } from '@vigil/kafka';
import { stackEnv, uniqueTenant } from '../support/stack-env.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

/**
 * Stages decode every record through the registry. While it is down, records whose
 * schema a worker has seen keep flowing; a schema id it has never seen is a dependency
 * problem (retried, partition paused), never poison.
 */
const REGISTRY = new URL(stackEnv['SCHEMA_REGISTRY_URL']!);
let proxy: TcpProxy;
let codec: Codec;

beforeAll(async () => {
  proxy = await startTcpProxy({ host: REGISTRY.hostname, port: Number(REGISTRY.port) });
  codec = createCodec(`http://127.0.0.1:${proxy.port}${REGISTRY.pathname}`);
});

afterAll(async () => {
  await proxy?.close();
});

const alert = (tenant: string) => sampleAlert({ id: randomUUID(), tenant_id: tenant });

describe('codec while the schema registry is away', () => {
  it('keeps encoding and decoding known schemas, retries unseen ones as a dependency, and recovers', async () => {
    const tenant = uniqueTenant('registry');
    await codec.register([topics.alerts]);
    const seen = alert(tenant);
    const seenBytes = await codec.encode(topics.alerts, seen);
    expect(await codec.decode(seenBytes)).toEqual(seen);

    // A record in a schema this codec never looked up, written by another producer.
    const other = createCodec(stackEnv['SCHEMA_REGISTRY_URL']!);
    await other.register([topics.duplicates]);
    const notice: DuplicateNotice = { tenant_id: tenant, canonical_id: seen.id, canonical_event_time: seen.event_time, duplicate_id: randomUUID(), fingerprint: 'f'.repeat(64), count: 2, first_seen: seen.event_time, last_seen: seen.event_time + 1000, duplicate_event_time: seen.event_time + 1000 };
    const unseenBytes = await other.encode(topics.duplicates, notice);

    proxy.cut();
    expect(await codec.healthy()).toBe(false);
    expect(await codec.decode(seenBytes)).toEqual(seen);
    const written = alert(tenant);
    expect(await codec.decode(await codec.encode(topics.alerts, written))).toEqual(written);
    const unseen = await codec.decode(unseenBytes).then(
      () => null,
      (err: unknown) => err,
    );
    expect(unseen).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    expect(classify(unseen).kind).toBe('dependency');

    proxy.restore();
    expect(await codec.healthy()).toBe(true);
    expect(await codec.decode(unseenBytes)).toEqual(notice);
  });

  it('takes a schema id the registry does not know for a retriable SCHEMA_UNKNOWN, not for poison', async () => {
    const framed = Buffer.concat([Buffer.from([0]), Buffer.from([0x7f, 0xff, 0xff, 0xf0]), Buffer.from('payload')]);
    const err = await codec.decode(framed).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'SCHEMA_UNKNOWN' });
    expect(classify(err).kind).toBe('dependency');
  });
});
