import { parseArgs } from 'node:util';
import { createVerifier, requirePermission, type Principal } from '@vigil/auth';
import { stages, type StageSpec } from '@vigil/contracts';
import { isVigilError } from '@vigil/errors';
import { createCodec, createKafkaClient, createRecordProducer, type Kafka } from '@vigil/kafka';
import { describeDeadLetter, findDeadLetter, formatPosition, parsePosition, parsePositions, readDeadLetters, replayDeadLetters, selectDeadLetters, summarizeDeadLetters, type DlqSummary, type ReplayProgress, createReplayLedger, ledgerKeepMs, createReplayQueue, startReplayWorker } from '@vigil/dead-letters';
import { createLogger } from '@vigil/logging';
import { createRedisClient } from '@vigil/redis';
import type { CliContext } from '../cli-context.ts';
import type { StoreConnections } from '@vigil/config';
import { endpointOptions, endpointUsage, endpointsWithFlags, type Endpoints } from '../endpoints.ts';
import { storeAccess } from '../store-access.ts';

const usage = `usage: vigil dlq <command> [--token T]   (admin token; or set VIGIL_TOKEN)

  list [--stage S] [--json]                         dead letters per stage: count, replayed, error codes, time range
  show <stage> <partition>:<offset> [--raw]         one envelope; the payload only as size and hash unless --raw
  replay <stage> (--all | --code C | --offsets p:o,...) [--json]
                                                    send dead letters back to their source topic (a BullMQ job)
stages: ${Object.keys(stages).join(', ')}
${endpointUsage}`;

type Log = (line: string) => void;

const ledgerOptions = { keepMs: ledgerKeepMs(stages) };

class UsageError extends Error {}

/** Operator input that does not parse is a usage problem, not a failure. */
function asUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

const options = {
  ...endpointOptions,
  token: { type: 'string' },
  stage: { type: 'string' },
  code: { type: 'string' },
  offsets: { type: 'string' },
  all: { type: 'boolean', default: false },
  raw: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ args: string[]; options: typeof options; allowPositionals: true }>>['values'];

function stageNamed(name: string | undefined): StageSpec {
  const stage = Object.values(stages).find((s) => s.name === name);
  if (!stage) throw new UsageError(name === undefined ? 'name a stage' : `unknown stage "${name}"`);
  return stage;
}

/** Only a verified operator token (`admin:dlq`) may read every tenant's letters or replay them; shared with `vigil outbox`. */
export async function authorize(endpoints: Endpoints, token: string | undefined): Promise<Principal> {
  if (!token) throw new UsageError('an operator token is required: --token <jwt> or VIGIL_TOKEN (vigil token --tenant ops --role operator)');
  const verifier = createVerifier({ jwks: { url: endpoints.jwksUrl }, issuer: endpoints.jwtIssuer, audience: endpoints.jwtAudience });
  const principal = await verifier.verify(`Bearer ${token}`);
  requirePermission(principal, 'admin:dlq');
  return principal;
}

function formatSummaries(summaries: readonly DlqSummary[]): string {
  const rows = [['STAGE', 'TOPIC', 'COUNT', 'REPLAYED', 'OLDEST', 'NEWEST', 'CODES']];
  for (const s of summaries) rows.push([s.stage, s.topic, String(s.count), String(s.replayed), s.oldest ?? '-', s.newest ?? '-', s.codes.map((c) => `${c.code}=${c.count}`).join(' ') || '-']);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n');
}

async function list(stores: StoreConnections, kafka: Kafka, values: Values, log: Log): Promise<number> {
  const chosen = values.stage === undefined ? Object.values(stages) : [stageNamed(values.stage)];
  const redis = createRedisClient(stores.redis, 'vigil-dlq');
  try {
    const ledger = createReplayLedger(redis, ledgerOptions);
    const summaries = await Promise.all(
      chosen.map(async (stage) => {
        const letters = await readDeadLetters(kafka, stage);
        return summarizeDeadLetters(stage.name, stage.dlq.name, letters, await ledger.replayed(letters.map((l) => l.id)));
      }),
    );
    log(values.json ? JSON.stringify(summaries) : formatSummaries(summaries));
    return 0;
  } finally {
    redis.disconnect();
  }
}

async function show(kafka: Kafka, positionals: readonly string[], values: Values, log: Log): Promise<number> {
  const stage = stageNamed(positionals[0]);
  if (positionals[1] === undefined) throw new UsageError('name the dead letter as <partition>:<offset>');
  const text = positionals[1];
  const position = asUsage(() => parsePosition(text));
  const letter = findDeadLetter(await readDeadLetters(kafka, stage), position);
  if (!letter) {
    log(`no dead letter at ${stage.dlq.name} ${positionals[1]}`);
    return 1;
  }
  log(JSON.stringify(describeDeadLetter(letter, { raw: values.raw }), null, 2));
  return 0;
}

async function replay(stores: StoreConnections, kafka: Kafka, principal: Principal, positionals: readonly string[], values: Values, log: Log): Promise<number> {
  const stage = stageNamed(positionals[0]);
  const offsets = values.offsets;
  const asked = { all: values.all, code: values.code, positions: offsets === undefined ? undefined : asUsage(() => parsePositions(offsets)) };
  const letters = await readDeadLetters(kafka, stage);
  const selection = asUsage(() => selectDeadLetters(letters, asked));
  if (!values.json) for (const position of selection.missing) log(`warning: no dead letter at ${stage.dlq.name} ${position}`);
  if (selection.duplicates > 0 && !values.json) log(`${selection.duplicates} dead letter(s) repeat a source record already selected; it is replayed once`);
  const notReplayable = selection.notReplayable.map((l) => formatPosition(l.position));
  if (notReplayable.length > 0 && !values.json) log(`not replayable: ${notReplayable.length} dead letter(s) trimmed to their envelope (original bytes not kept): ${notReplayable.join(',')}`);
  if (selection.selected.length === 0) {
    log(values.json ? JSON.stringify({ jobId: null, total: 0, sent: 0, skipped: 0, missing: selection.missing.length, notReplayable }) : 'nothing to replay');
    return 0;
  }
  const redisUrl = stores.redis;
  const redis = createRedisClient(redisUrl, 'vigil-dlq');
  const producer = createRecordProducer(kafka, createCodec(stores.schemaRegistry));
  await producer.connect();
  const queue = await createReplayQueue(redisUrl);
  // The worker runs in this process for the duration of the command.
  const worker = startReplayWorker(redisUrl, (data, progress) =>
    replayDeadLetters({ kafka, producer, stage: stageNamed(data.stage), letters: data.letters, ledger: createReplayLedger(redis, ledgerOptions), onProgress: (p) => progress({ ...p }) }),
  );
  try {
    const ids = selection.selected.map((l) => l.id);
    const { jobId, state } = await queue.submit({ stage: stage.name, letters: ids, requestedBy: principal.subject });
    if (!values.json) log(`replay job ${jobId} (${state}): ${ids.length} dead letter(s) of ${stage.name}`);
    const result = await queue.wait<ReplayProgress>(
      jobId,
      (p) => {
        const progress = p as Partial<ReplayProgress>;
        if (!values.json) log(`  ${progress.sent ?? 0} sent, ${progress.skipped ?? 0} skipped of ${progress.total ?? ids.length}`);
      },
      10 * 60_000,
    );
    log(values.json ? JSON.stringify({ jobId, state, ...result, notReplayable }) : `done: ${result.sent} sent, ${result.skipped} already replayed before, ${result.missing} no longer in the DLQ`);
    return 0;
  } finally {
    await worker.close();
    await queue.close();
    await producer.disconnect();
    redis.disconnect();
  }
}

/** `vigil dlq list | show | replay`; `envToken` is VIGIL_TOKEN as main read it. */
export async function dlqCommand(ctx: CliContext, args: readonly string[], envToken: string | undefined, log: Log): Promise<number> {
  try {
    const { values, positionals } = parseArgs({ args: [...args], options, allowPositionals: true });
    const [action, ...rest] = positionals;
    if (action !== 'list' && action !== 'show' && action !== 'replay') throw new UsageError(action === undefined ? 'name a command' : `unknown command "${action}"`);
    const endpoints = endpointsWithFlags(ctx.endpoints, values);
    const principal = await authorize(endpoints, values.token ?? envToken);
    const stores = storeAccess(endpoints);
    const kafka = createKafkaClient({ ...stores.kafka, clientId: 'vigil-dlq', logger: createLogger({ service: 'vigil-dlq', level: 'error', destination: process.stderr }) });
    if (action === 'list') return await list(stores, kafka, values, log);
    if (action === 'show') return await show(kafka, rest, values, log);
    return await replay(stores, kafka, principal, rest, values, log);
  } catch (err) {
    if (err instanceof UsageError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
      log(`vigil dlq: ${err.message}\n\n${usage}`);
      return 2;
    }
    if (isVigilError(err) && err.code.startsWith('AUTH_')) {
      log(`vigil dlq: ${err.code}: ${err.message}`);
      return 3;
    }
    throw err;
  }
}
