import { z } from 'zod';
import { describeDeadLetter, summarizeDeadLetters, type ReplayLedger, type StoredDeadLetter } from '@vigil/dead-letters';
import { VigilError } from '@vigil/errors';
import { principalOf, type FastifyInstance } from '@vigil/http';
import { routeDocs } from '../routes/route-docs.ts';
import { parseParams } from '../search-params.ts';
import type { DeadLetterSource } from './dead-letter-source.ts';

/** `stage:partition:offset:fingerprint` (deadLetterId); anything else names nothing. */
const LETTER_ID = /^(dedup|correlate|indexer):\d{1,10}:\d{1,20}:[0-9a-f]{16}$/;

const listSchema = z
  .object({
    stage: z.enum(['dedup', 'correlate', 'indexer']).optional(),
    code: z.string().regex(/^[A-Z_]{1,64}$/).optional(),
    size: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

function notFound(id: string): VigilError {
  return new VigilError('NOT_FOUND', `no dead letter ${id.slice(0, 80)} for this tenant`);
}

/** The DLQ view's form: payload as size and SHA-256 only (`raw` is never offered here). */
const shown = (letter: StoredDeadLetter, replayed: ReadonlySet<string>) => ({ id: letter.id, ...describeDeadLetter(letter, { raw: false }), replayed: replayed.has(letter.id) });

/**
 * A tenant admin's dead letters (`dead-letters:read`): only letters whose envelope names
 * the caller's tenant (`tenantOfDeadLetter`); letters of other tenants and letters with no
 * readable tenant are not listed, counted or found (404, like an id that never existed).
 */
export function registerDeadLetterRoutes(app: FastifyInstance, source: DeadLetterSource, ledger: ReplayLedger): void {
  const own = async (tenant: string) => (await source.read()).map((s) => ({ ...s, letters: s.letters.filter((l) => l.tenant === tenant).map((l) => l.letter) }));

  app.get('/v1/dead-letters', { schema: routeDocs.listDeadLetters }, async (request) => {
    const tenant = principalOf(request).tenantId;
    const params = parseParams(listSchema, request.query);
    const stagesShown = (await own(tenant)).filter((s) => params.stage === undefined || s.stage.name === params.stage);
    const all = stagesShown.flatMap((s) => s.letters);
    const replayed = await ledger.replayed(all.map((l) => l.id));
    const matching = all.filter((l) => params.code === undefined || l.envelope.error.code === params.code);
    // Newest first across stages; the envelope's time is ISO 8601 UTC, so text order is time order.
    const newest = [...matching].sort((a, b) => b.envelope.time.localeCompare(a.envelope.time)).slice(0, params.size);
    return {
      stages: stagesShown.map((s) => ({ ...summarizeDeadLetters(s.stage.name, s.stage.dlq.name, s.letters, replayed), complete: s.complete })),
      total: matching.length,
      items: newest.map((l) => shown(l, replayed)),
    };
  });

  app.get('/v1/dead-letters/:id', { schema: routeDocs.getDeadLetter }, async (request) => {
    const tenant = principalOf(request).tenantId;
    const { id } = request.params as { id: string };
    if (!LETTER_ID.test(id)) throw notFound(id);
    const letter = (await own(tenant)).flatMap((s) => s.letters).find((l) => l.id === id);
    if (!letter) throw notFound(id);
    return shown(letter, await ledger.replayed([letter.id]));
  });
}
