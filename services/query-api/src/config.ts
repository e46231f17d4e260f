import { z } from 'zod';
import { fields } from '@vigil/config';
import { deadLetterConfigFields } from './dead-letters/dead-letter-config.ts';
import { simulationConfigFields } from './simulation/simulation-config.ts';
import { webhookConfigFields } from './webhooks/webhook-config.ts';

// Only for `vigil run` and tests: a fixed key lets a restarted dev service accept its own cursors.
const DEV_CURSOR_KEY = 'vigil-development-cursor-key-not-for-production';

export const queryConfigSchema = z
  .object({
    ...fields.api(8001, 9501),
    ...simulationConfigFields,
    ...webhookConfigFields,
    ...deadLetterConfigFields,
    /** Requests per verified tenant per minute, all authenticated routes together (429 past it). Named apart from the gateway's TENANT_RATE_LIMIT_PER_MINUTE: a shared environment must not tie the two. */
    QUERY_TENANT_RATE_LIMIT_PER_MINUTE: fields.positiveInt(6_000),
    /** HMAC key of search cursors (>= 32 chars). Required outside development. */
    CURSOR_KEY: z.string().min(32).optional(),
    /** How long an opened point in time stays valid between two pages. */
    CURSOR_TTL_MS: fields.positiveInt(120_000),
    /**
     * Days of alert indices kept; older daily indices are deleted whole. 0 (the default)
     * keeps everything: deleting is the operator's explicit choice (docs/query-api.md).
     */
    ALERT_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(0),
    RETENTION_INTERVAL_MS: fields.positiveInt(3_600_000),
    /** Operator switch: webhooks may target loopback/private addresses (tests, labs). */
    WEBHOOK_ALLOW_PRIVATE: fields.bool(false),
  })
  .superRefine(fields.requireJwks)
  .superRefine((cfg, ctx) => {
    if (cfg.CURSOR_KEY === undefined && cfg.NODE_ENV !== 'development') ctx.addIssue({ code: 'custom', path: ['CURSOR_KEY'], message: 'set CURSOR_KEY (32+ chars) outside development' });
  })
  .transform((cfg) => ({ ...cfg, CURSOR_KEY: cfg.CURSOR_KEY ?? DEV_CURSOR_KEY }));

export type QueryConfig = z.infer<typeof queryConfigSchema>;
