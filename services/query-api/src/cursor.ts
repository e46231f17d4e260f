import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import { z } from 'zod';
import { VigilError } from '@vigil/errors';

// canonicalize ships CommonJS with ESM-style typings; require() sidesteps the mismatch.
const canonicalize = createRequire(import.meta.url)('canonicalize') as (value: unknown) => string | undefined;

/**
 * Opaque, signed paging cursors. A cursor names the tenant it was issued to, a hash of
 * the search it continues (filters and sort), the sort values of the last hit, the point
 * in time it reads from (opened when the first cursor is used) and how deep it already
 * is. Any change, another tenant or other parameters make it CURSOR_INVALID.
 */
const payloadSchema = z.object({
  v: z.literal(1),
  tn: z.string(),
  kind: z.string(),
  qh: z.string(),
  sa: z.array(z.union([z.string(), z.number(), z.null()])).max(4),
  // A handle to the point in time kept server-side (HandleStore), not its id.
  pit: z.string().max(64).nullable(),
  seen: z.number().int().nonnegative(),
  exp: z.number().int(),
});

export type CursorPayload = z.infer<typeof payloadSchema>;

export interface CursorCodec {
  encode(payload: Omit<CursorPayload, 'v'>): string;
  /** The payload, checked against the caller's tenant, the search kind and its parameters. */
  decode(token: string, expect: { tenant: string; kind: string; queryHash: string; now: number }): CursorPayload;
}

/** A stable hash of the search parameters a cursor is bound to (key order does not matter). */
export function queryHash(params: object): string {
  return createHash('sha256').update(canonicalize(params) ?? '').digest('base64url').slice(0, 22);
}

export function createCursorCodec(key: string): CursorCodec {
  const mac = (body: string) => createHmac('sha256', key).update(body).digest();
  const invalid = (why: string) => new VigilError('CURSOR_INVALID', `cursor ${why}; start again without a cursor`, { path: 'cursor' });
  return {
    encode(payload) {
      const body = Buffer.from(JSON.stringify({ v: 1, ...payload })).toString('base64url');
      return `${body}.${mac(body).toString('base64url')}`;
    },
    decode(token, expect) {
      const [body, sig, extra] = token.split('.');
      if (!body || !sig || extra !== undefined || token.length > 8192) throw invalid('is malformed');
      const given = Buffer.from(sig, 'base64url');
      const wanted = mac(body);
      if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) throw invalid('signature does not match');
      let parsed: CursorPayload;
      try {
        parsed = payloadSchema.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
      } catch {
        throw invalid('is malformed');
      }
      if (parsed.tn !== expect.tenant) throw invalid('was issued to another tenant');
      if (parsed.kind !== expect.kind || parsed.qh !== expect.queryHash) throw invalid('belongs to other search parameters');
      if (parsed.exp < expect.now) throw invalid('has expired');
      return parsed;
    },
  };
}
