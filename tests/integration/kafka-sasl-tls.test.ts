import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fields, loadStoreConnections, parseConfig } from '@vigil/config';
import { createKafkaClient, type Kafka } from '@vigil/kafka';
import { createLogger } from '@vigil/logging';
import { freePort } from '../support/ports.ts';
import { startPrivateKafka, type PrivateKafka } from '../support/private-kafka.ts';
import { createTestCertificates, type TestCertificates } from '../support/test-certificates.ts';

/**
 * Kafka over SASL_SSL (SCRAM-SHA-256) through Vigil's own client factory, configured by
 * the services' variables, against a private broker that accepts nothing else.
 */
const logger = createLogger({ service: 'kafka-sasl-tls-test', level: 'silent' });
const user = { name: 'vigil-ingest', password: randomBytes(12).toString('hex') };
let certs: TestCertificates;
let broker: PrivateKafka;
const clients: Kafka[] = [];

function kafkaFrom(env: Record<string, string>): Kafka {
  const config = parseConfig('kafka-tls-test', z.object(fields.common), { KAFKA_BROKERS: broker.brokers, ...env });
  // Few retries: the refusals below must surface quickly, not after a minute of backoff.
  const client = createKafkaClient({ ...loadStoreConnections('kafka-tls-test', config).kafka, clientId: 'vigil-tls-test', logger, retries: 1 });
  clients.push(client);
  return client;
}

const secure = () => ({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: certs.caFile, KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: user.name, KAFKA_SASL_PASSWORD: user.password });

beforeAll(async () => {
  certs = createTestCertificates();
  broker = await startPrivateKafka(certs, { broker: await freePort(), controller: await freePort() }, user);
}, 180_000);

afterAll(async () => {
  await broker?.stop();
  certs?.remove();
});

describe('Kafka over SASL_SSL with SCRAM-SHA-256 (private broker)', () => {
  it('produces and consumes through createKafkaClient with the CA and the SCRAM user', async () => {
    const kafka = kafkaFrom(secure());
    const topic = `tls-test-${randomBytes(4).toString('hex')}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'over sasl_ssl' }] });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: `tls-test-${randomBytes(4).toString('hex')}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received = await new Promise<string>((resolve) => {
      void consumer.run({ eachMessage: async ({ message }) => resolve(message.value!.toString()) });
    });
    await consumer.disconnect();
    expect(received).toBe('over sasl_ssl');
  });

  it('refuses a wrong password (SASL authentication failed)', async () => {
    const admin = kafkaFrom({ ...secure(), KAFKA_SASL_PASSWORD: 'wrong-password' }).admin();
    await expect(admin.connect()).rejects.toThrow(/SASL SCRAM SHA256 authentication failed|Authentication failed/i);
  });

  it('does not trust the broker without the CA file', async () => {
    const { KAFKA_SSL_CA_FILE: _ca, ...withoutCa } = secure();
    const admin = kafkaFrom(withoutCa).admin();
    await expect(admin.connect()).rejects.toThrow(/certificate/i);
  });

  it('a plaintext client gets nowhere on the SASL_SSL listener', async () => {
    const admin = kafkaFrom({}).admin();
    await expect(admin.connect()).rejects.toThrow();
  });
});
