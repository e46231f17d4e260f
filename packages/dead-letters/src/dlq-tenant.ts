import { tenantIdSchema } from '@vigil/contracts';
import { isVigilError } from '@vigil/errors';
import type { StoredDeadLetter } from './dlq-reader.ts';

/**
 * Whose dead letter this is, for showing it to a tenant's admin: dead letters carry no
 * tenant header, and every tenant's poison shares one DLQ topic per stage. A letter
 * belongs to a tenant only when both places that name it agree: the value decodes (Avro
 * through the registry) to a record whose `tenant_id` is that tenant, and the key is
 * `<that tenant>|…`, the form every producer of the pipeline uses. Anything else —
 * undecodable bytes, an unknown schema id, a trimmed letter (value gone), a record without
 * a valid tenant, a key naming another tenant — belongs to no tenant and stays
 * operator-only (`vigil dlq`). Failing closed is the point: a letter shown to the wrong
 * tenant is a leak, a letter shown to none is an operator's job.
 */
export function tenantOfDeadLetter(letter: StoredDeadLetter, decoded: unknown): string | null {
  if (decoded === null || typeof decoded !== 'object') return null;
  const tenant = (decoded as { tenant_id?: unknown }).tenant_id;
  if (!tenantIdSchema.safeParse(tenant).success) return null;
  const key = letter.envelope.key?.toString('utf8');
  return key !== undefined && key.startsWith(`${tenant as string}|`) ? (tenant as string) : null;
}

export interface AttributedDeadLetter {
  readonly letter: StoredDeadLetter;
  /** null: no tenant can be read from it (operator-only). */
  readonly tenant: string | null;
}

/**
 * Attribute each letter with `decode` (the schema-registry codec). A value the codec
 * refuses as a record (undecodable, unknown schema) has no tenant; a registry that does
 * not answer is an outage and throws, so a caller never mistakes "could not ask" for
 * "belongs to no one".
 */
export async function attributeDeadLetters(letters: readonly StoredDeadLetter[], decode: (bytes: Buffer) => Promise<unknown>): Promise<AttributedDeadLetter[]> {
  const out: AttributedDeadLetter[] = [];
  for (const letter of letters) {
    const value = letter.envelope.value;
    if (value === null || letter.envelope.trimmed !== undefined) {
      out.push({ letter, tenant: null });
      continue;
    }
    const decoded = await decode(value).catch((err: unknown) => {
      if (isVigilError(err) && err.code === 'DEPENDENCY_UNAVAILABLE') throw err;
      return null;
    });
    out.push({ letter, tenant: tenantOfDeadLetter(letter, decoded) });
  }
  return out;
}
