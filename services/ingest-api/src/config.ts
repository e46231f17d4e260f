import { z } from 'zod';
import { fields } from '@vigil/config';

/** Limits are documented in docs/ingest.md; change both together. */
export const ingestConfigSchema = z
  .object({
    ...fields.api(8000, 9500),
    /**
     * Processes serving the port (node:cluster): one Node process uses about one core, so
     * a gateway with more cores to itself runs one per core. Limits below are per process.
     */
    GATEWAY_PROCESSES: fields.positiveInt(1),
    BODY_LIMIT_BYTES: fields.positiveInt(1_048_576),
    BATCH_MAX_RECORDS: fields.positiveInt(500),
    JSON_MAX_DEPTH: fields.positiveInt(32),
    KAFKA_SEND_TIMEOUT_MS: fields.positiveInt(5_000),
    PRODUCER_MAX_IN_FLIGHT: fields.positiveInt(20_000),
    /** Requests served at once; past it the gateway answers 503 without reading the body. */
    MAX_CONCURRENT_REQUESTS: fields.positiveInt(128),
    /** Declared body bytes served at once; past it, 503 likewise (see concurrency-limit.ts). */
    MAX_INFLIGHT_BODY_BYTES: fields.positiveInt(1_048_576),
    /** The same per tenant: one tenant's flood cannot take the whole gateway. */
    MAX_TENANT_INFLIGHT_BODY_BYTES: fields.positiveInt(524_288),
    TENANT_RATE_LIMIT_PER_MINUTE: fields.positiveInt(6_000),
    CLIENT_RATE_LIMIT_PER_MINUTE: fields.positiveInt(12_000),
    IDEMPOTENCY_TTL_SECONDS: fields.positiveInt(86_400),
    /** Development only: let an `X-Vigil-Dev-Tenant` header pick the tenant. Needs both flags. */
    DEV_TENANT_OVERRIDE: fields.bool(false),
    DEV_TENANT_OVERRIDE_I_UNDERSTAND: fields.bool(false),
  })
  .superRefine((cfg, ctx) => {
    fields.requireJwks(cfg, ctx);
    if (cfg.MAX_INFLIGHT_BODY_BYTES < cfg.BODY_LIMIT_BYTES) {
      ctx.addIssue({ code: 'custom', path: ['MAX_INFLIGHT_BODY_BYTES'], message: `must be at least BODY_LIMIT_BYTES (${cfg.BODY_LIMIT_BYTES}), or a body of the allowed size could wait for ever` });
    }
    if (cfg.MAX_TENANT_INFLIGHT_BODY_BYTES > cfg.MAX_INFLIGHT_BODY_BYTES) {
      ctx.addIssue({ code: 'custom', path: ['MAX_TENANT_INFLIGHT_BODY_BYTES'], message: `must be at most MAX_INFLIGHT_BODY_BYTES (${cfg.MAX_INFLIGHT_BODY_BYTES}): a tenant's share cannot exceed the whole` });
    }
    if (cfg.DEV_TENANT_OVERRIDE !== cfg.DEV_TENANT_OVERRIDE_I_UNDERSTAND) {
      ctx.addIssue({ code: 'custom', path: ['DEV_TENANT_OVERRIDE'], message: 'the dev tenant override needs both DEV_TENANT_OVERRIDE and DEV_TENANT_OVERRIDE_I_UNDERSTAND' });
    }
    if (cfg.DEV_TENANT_OVERRIDE && cfg.NODE_ENV !== 'development') {
      ctx.addIssue({ code: 'custom', path: ['DEV_TENANT_OVERRIDE'], message: `refused: the dev tenant override is only allowed with NODE_ENV=development (is ${cfg.NODE_ENV})` });
    }
  });

export type IngestConfig = z.infer<typeof ingestConfigSchema>;
