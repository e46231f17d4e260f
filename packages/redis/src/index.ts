export { createRedisClient, guarded, redisFailure, redisHealthy, type RedisClient } from './redis-client.ts';
export { callScript, callScriptPipelined, defineScript, registerScript, type ScriptReply, type ScriptSpec } from './lua-scripts.ts';
export { createQueueConnection } from './queue-connection.ts';
export { redisTransport, type RedisTarget } from './redis-connection.ts';
export { createIdempotencyStore, type IdempotencyStore, type ClaimResult, type IdempotencySettings } from './idempotency-store.ts';
export { createIndexTimeRegistry, indexTimeKey, type IndexTimeClaim, type IndexTimeRegistry } from './index-time-registry.ts';
export { createSimulationQueue, pauseSimulations, startSimulationWorker, SIMULATION_QUEUE, type SimulationQueue, type SimulationWorker, type TenantJobData, type JobView, type JobState, type JobContext, type SubmitResult } from './simulation-queue.ts';
export { createWebhookQueue, startWebhookWorker, PermanentDeliveryError, WEBHOOK_QUEUE, type WebhookQueue, type WebhookWorker, type WebhookJobData, type DeliveryState, type DeliveryView, type DeliverySettings } from './webhook-queue.ts';
export { createHandleStore, type HandleStore } from './handle-store.ts';
