import { once } from 'node:events';
import { verifierFromConfig, type Verifier } from '@vigil/auth';
import type { StoreConnections } from '@vigil/config';
import { allTopics } from '@vigil/contracts';
import { createCodec, createKafkaClient, createRecordProducer } from '@vigil/kafka';
import type { Logger } from '@vigil/logging';
import { createIdempotencyStore, createRedisClient, redisHealthy, type IdempotencyStore, type RedisClient, type RedisTarget } from '@vigil/redis';
import type { IngestConfig } from './config.ts';
import { createPublisher, type Publisher } from './publisher.ts';

export interface IngestClients {
  readonly verifier: Verifier;
  readonly publisher: Publisher;
  readonly idempotency: IdempotencyStore;
  readonly redis: RedisClient;
  readonly ready: () => Promise<boolean>;
  close(): Promise<void>;
}

const REDIS_READY_TIMEOUT_MS = 10_000;

/**
 * The client has no offline queue: until it is connected every command fails, and the
 * rate limiters (which skip on error) would let the first requests through unmetered.
 */
async function connectRedis(target: RedisTarget): Promise<RedisClient> {
  const redis = createRedisClient(target, 'ingest-api');
  if (redis.status === 'ready') return redis;
  try {
    await once(redis, 'ready', { signal: AbortSignal.timeout(REDIS_READY_TIMEOUT_MS) });
  } catch (err) {
    redis.disconnect();
    // The host only: the URL may carry the ACL password.
    const host = new URL(typeof target === 'string' ? target : target.url).host;
    throw new Error(`redis at ${host} did not become ready within ${REDIS_READY_TIMEOUT_MS} ms`, { cause: err });
  }
  return redis;
}

/**
 * The real clients behind the gateway, connected. One place, so `main.ts` and the
 * integration tests run the gateway with the same producer and store settings.
 */
export async function connectIngestClients(config: IngestConfig, stores: Pick<StoreConnections, 'kafka' | 'schemaRegistry' | 'redis'>, logger: Logger): Promise<IngestClients> {
  const redis = await connectRedis(stores.redis);
  const codec = createCodec(stores.schemaRegistry);
  await codec.register(allTopics);
  // Few retries: a dead broker must turn into a fast 503, not a request held for minutes.
  const kafka = createKafkaClient({ ...stores.kafka, clientId: 'ingest-api', logger, retries: 2 });
  const producer = createRecordProducer(kafka, codec);
  await producer.connect();
  const publisher = createPublisher(producer, {
    maxInFlight: config.PRODUCER_MAX_IN_FLIGHT,
    maxBatch: 500,
    lingerMs: 2,
    failFastMs: 1000,
    sendTimeoutMs: config.KAFKA_SEND_TIMEOUT_MS,
  });
  const idempotency = createIdempotencyStore(redis, { ttlMs: config.IDEMPOTENCY_TTL_SECONDS * 1000, pendingTtlMs: 30_000 });
  const verifier = verifierFromConfig(config);
  return {
    verifier,
    publisher,
    idempotency,
    redis,
    ready: async () => publisher.healthy() && (await redisHealthy(redis)) && (await codec.healthy()),
    async close() {
      await producer.disconnect();
      redis.disconnect();
    },
  };
}
