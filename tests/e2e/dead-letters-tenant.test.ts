import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stages } from '@vigil/contracts';
import { readDeadLetters } from '@vigil/dead-letters';
import { startPipeline, type ApiAnswer, type Pipeline } from '../support/pipeline.ts';
import { testKafka } from '../support/kafka.ts';
import { buildPoison, producePoison } from '../support/poison.ts';
import { uniqueTenant } from '../support/stack-env.ts';
import { tokenFor } from '../support/tokens.ts';
import { waitFor } from '../support/wait.ts';

/**
 * DLQ access scoped per tenant, end to end: two tenants' poison goes through the real dedup
 * worker into the one shared `dlq.dedup.v1`, and each tenant's admin reads
 * `GET /v1/dead-letters` of the real query API. Each sees exactly its own letter whose
 * tenant can be read (valid Avro refused by dedup's checks), never the other's, and never
 * an undecodable one, whatever tenant its bytes or key mention: those are operator-only.
 */

const A = uniqueTenant('dlq-a');
const B = uniqueTenant('dlq-b');
let pipeline: Pipeline;
const admin: Record<string, string> = {};

interface Letter {
  readonly id: string;
  readonly key: string;
  readonly error: { readonly code: string };
  readonly value: Record<string, unknown>;
}

const letters = (answer: ApiAnswer) => (answer.body['items'] ?? []) as Letter[];
const textOf = (answer: ApiAnswer) => JSON.stringify(answer.body);

beforeAll(async () => {
  pipeline = await startPipeline();
  admin[A] = await tokenFor(A, 'admin');
  admin[B] = await tokenFor(B, 'admin');
  // Per tenant: one letter with a readable tenant, one undecodable (its key and bytes still name the tenant).
  for (const tenant of [A, B]) await producePoison(await buildPoison(tenant, ['domain', 'undecodable']));
});

afterAll(async () => {
  await pipeline?.stop();
});

/** The admin's list once the tenant's letter is there (dedup dead-letters it; the API caches reads for a moment). */
const listOnceThere = (tenant: string) =>
  waitFor(async () => {
    const answer = await pipeline.query(admin[tenant]!, '/v1/dead-letters');
    return answer.status === 200 && letters(answer).length > 0 ? answer : undefined;
  }, 90_000, 1000);

describe('dead letters scoped per tenant (GET /v1/dead-letters)', () => {
  it('each tenant admin lists only its own readable letter; undecodable ones stay operator-only', async () => {
    const operatorView = async () => (await readDeadLetters(testKafka(), stages.dedup)).map((l) => l.envelope.key?.toString('utf8') ?? '');
    // Both tenants' undecodable letters are in the DLQ: the API leaves them out, they are not missing.
    await waitFor(async () => {
      const keys = await operatorView();
      return [A, B].every((t) => keys.includes(`${t}|poison-undecodable`) && keys.includes(`${t}|poison-domain`)) ? true : undefined;
    }, 90_000, 1000);
    for (const [own, other] of [[A, B], [B, A]] as const) {
      const answer = await listOnceThere(own);
      const mine = letters(answer);
      expect(mine.map((l) => [l.key, l.error.code])).toEqual([[`${own}|poison-domain`, 'RECORD_REJECTED']]);
      expect(answer.body['total']).toBe(1);
      const dedup = (answer.body['stages'] as Array<{ stage: string; count: number }>).find((s) => s.stage === 'dedup');
      expect(dedup?.count).toBe(1);
      // The payload only as size and hash, as the operator view shows it by default.
      expect(mine[0]!.value).toEqual({ bytes: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/), redacted: true });
      expect(textOf(answer)).not.toContain(other);
      expect(textOf(answer)).not.toContain('poison-undecodable');
    }
  });

  it('a letter by id: 200 for its tenant, 404 for the other exactly like an id that never existed', async () => {
    const [mineA] = letters(await listOnceThere(A));
    const [mineB] = letters(await listOnceThere(B));
    const own = await pipeline.query(admin[A]!, `/v1/dead-letters/${mineA!.id}`);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id: mineA!.id, key: `${A}|poison-domain`, value: { redacted: true } });
    const theirs = await pipeline.query(admin[A]!, `/v1/dead-letters/${mineB!.id}`);
    const never = 'dedup:0:999999999999:0123456789abcdef';
    const nobody = await pipeline.query(admin[A]!, `/v1/dead-letters/${never}`);
    expect(theirs.status).toBe(404);
    expect(theirs.body['error']).toMatchObject({ code: 'NOT_FOUND' });
    expect(textOf(theirs).replaceAll(mineB!.id, 'X')).toBe(textOf(nobody).replaceAll(never, 'X'));
    expect(textOf(theirs)).not.toContain(B);
  });

  it('needs dead-letters:read: an analyst of the tenant gets 403', async () => {
    const answer = await pipeline.query(await tokenFor(A, 'analyst'), '/v1/dead-letters');
    expect(answer.status).toBe(403);
    expect(answer.body['error']).toMatchObject({ code: 'AUTH_FORBIDDEN' });
  });
});
