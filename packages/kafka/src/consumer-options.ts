import type { ConsumerConfig } from 'kafkajs';

/** The consumer every stage runs with; sizes bound memory per fetch, auto topic creation off. */
export function stageConsumerConfig(groupId: string, sessionTimeoutMs = 30_000): ConsumerConfig {
  return {
    groupId,
    sessionTimeout: sessionTimeoutMs,
    heartbeatInterval: 3_000,
    maxBytesPerPartition: 1_048_576,
    maxBytes: 8_388_608,
    maxWaitTimeInMs: 200,
    allowAutoTopicCreation: false,
    retry: { retries: 10 },
  };
}
