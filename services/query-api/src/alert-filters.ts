import { z } from 'zod';
import { severities, sourceFormats } from '@vigil/contracts';

/**
 * The filters an analyst can put on alerts, shared by search and aggregations. Every
 * value is validated here and only ever becomes a value inside a term/range clause.
 */
/** The last instant of year 9999: OpenSearch's date fields end there, so a later bound is a client error, not a 500. */
const MAX_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
export const time = z
  .union([z.coerce.number().int().nonnegative(), z.string().datetime({ offset: true }).transform((s) => Date.parse(s))])
  .refine((ms) => ms <= MAX_TIME, { message: 'must be at most 9999-12-31T23:59:59.999Z' });

/** One value or a repeated parameter, at most `max` of them. */
export const many = <T extends z.ZodTypeAny>(item: T, max = 10) =>
  z.union([item, z.array(item).max(max)]).transform((v) => (Array.isArray(v) ? v : [v]) as Array<z.infer<T>>);

const ipOrCidr = z.union([z.string().ip(), z.string().cidr()]);
const text = z.string().min(1).max(256);
const port = z.coerce.number().int().min(0).max(65535);
// Label keys become a field path inside the flat_object: keep them to a boring alphabet.
const label = z.string().max(300).regex(/^[A-Za-z0-9_.-]{1,64}:.{1,200}$/s, 'label must be key:value with a key of [A-Za-z0-9_.-]');
const uuid = z.string().uuid();

export const alertFilterShape = {
  q: z.string().max(512).optional(),
  severity: many(z.enum(severities), 5).optional(),
  source_format: many(z.enum(sourceFormats), 6).optional(),
  source_product: many(text).optional(),
  rule_id: many(text).optional(),
  sensor_id: many(text).optional(),
  ip: many(ipOrCidr).optional(),
  src_ip: many(ipOrCidr).optional(),
  dst_ip: many(ipOrCidr).optional(),
  port: many(port).optional(),
  src_port: many(port).optional(),
  dst_port: many(port).optional(),
  protocol: many(text).optional(),
  host: many(text).optional(),
  user: many(text).optional(),
  process: many(text).optional(),
  hash: many(text).optional(),
  domain: many(text).optional(),
  url: many(z.string().min(1).max(1024)).optional(),
  label: many(label, 5).optional(),
  min_dedup_count: z.coerce.number().int().min(1).optional(),
  incident_id: uuid.optional(),
  from: time.optional(),
  to: time.optional(),
};

export const alertFilterSchema = z.object(alertFilterShape);
export type AlertFilters = z.infer<typeof alertFilterSchema>;

export const timeOrder = (p: { from?: number | undefined; to?: number | undefined }) => p.from === undefined || p.to === undefined || p.from <= p.to;
