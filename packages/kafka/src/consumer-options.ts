import { fields } from '@vigil/config';
import type { ConsumerConfig } from 'kafkajs';

/** fetch.min.bytes and fetch.max.wait.ms: what a broker waits for before it answers a fetch. */
export interface FetchSettings {
  readonly minBytes?: number | undefined;
  readonly maxWaitMs?: number | undefined;
}

/** The consumer every stage runs with; sizes bound memory per fetch, auto topic creation off. */
export function stageConsumerConfig(groupId: string, sessionTimeoutMs = 30_000, fetch: FetchSettings = {}): ConsumerConfig {
  return {
    groupId,
    sessionTimeout: sessionTimeoutMs,
    heartbeatInterval: 3_000,
    maxBytesPerPartition: 1_048_576,
    maxBytes: 8_388_608,
    // A stage without settings (tests) lingers as a configured one does.
    minBytes: fetch.minBytes ?? fields.STAGE_FETCH_DEFAULTS.minBytes,
    maxWaitTimeInMs: fetch.maxWaitMs ?? fields.STAGE_FETCH_DEFAULTS.maxWaitMs,
    allowAutoTopicCreation: false,
    retry: { retries: 10 },
  };
}
