import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { sourceFormats } from '@vigil/contracts';
import type { CliContext } from '../cli-context.ts';
import { chunkItems, outcomeOf, splitAlertFile, toNdjson, type BatchOutcome, type Rejection, type SendItem } from './send-files.ts';
import { createProgress, type Progress } from './send-progress.ts';

export const sendUsage = 'send [--format F] [--tenant T] [--url U] [--batch N] [--token T] FILE...';

const usage = `usage: vigil ${sendUsage}

  Posts alerts from JSON (an array or one object) or NDJSON files to /v1/alerts/batch.
  --format   ${['auto', ...sourceFormats].join(', ')} (default: auto, detected per record)
  --tenant   tenant of the development sensor token minted when no --token/VIGIL_TOKEN (default: acme)
  --url      gateway base URL (default: the local one)
  --batch    records per request, 1-500 (default: 100)
Exit code 0 when every record was accepted, 1 otherwise.`;

/** Under the gateway's default 1 MiB body cap, with room to spare. */
const MAX_BATCH_BYTES = 900_000;
const MAX_ATTEMPTS = 5;
const MAX_RETRY_WAIT_S = 30;
const SHOWN_REJECTIONS = 5;

const options = {
  format: { type: 'string', default: 'auto' },
  tenant: { type: 'string', default: 'acme' },
  url: { type: 'string' },
  batch: { type: 'string', default: '100' },
  token: { type: 'string' },
} as const;

export interface SendSettings {
  readonly url: string;
  readonly token: string;
  readonly format: string;
  readonly batchSize: number;
}

type Log = (line: string) => void;

class GatewayUnreachable extends Error {}

/**
 * One batch, retried while the gateway says "later" (429/503) or cannot be reached.
 * The Idempotency-Key is derived from the content, so a retry (or sending the same file
 * again within the key TTL) replays the first answer instead of publishing twice.
 */
async function postBatch(settings: SendSettings, batch: readonly SendItem[]): Promise<BatchOutcome> {
  const body = toNdjson(batch);
  const key = `vigil-send-${createHash('sha256').update(settings.format).update('\n').update(body).digest('hex').slice(0, 40)}`;
  const query = settings.format === 'auto' ? '' : `?format=${encodeURIComponent(settings.format)}`;
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(`${settings.url}/v1/alerts/batch${query}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${settings.token}`, 'content-type': 'application/x-ndjson', 'idempotency-key': key },
        body,
        signal: AbortSignal.timeout(60_000),
      });
    } catch (err) {
      if (attempt >= MAX_ATTEMPTS) throw new GatewayUnreachable(`cannot reach the gateway at ${settings.url}: ${(err as Error).message}`);
      await sleep(1000 * attempt);
      continue;
    }
    const answer = (await response.json().catch(() => null)) as unknown;
    const retriable = response.status === 429 || response.status === 503 || response.status === 409;
    if (!retriable || attempt >= MAX_ATTEMPTS) return outcomeOf(batch, response.status, answer);
    const wait = Math.min(Number(response.headers.get('retry-after')) || attempt, MAX_RETRY_WAIT_S);
    await sleep(wait * 1000);
  }
}

export interface SendResult {
  readonly total: number;
  readonly accepted: number;
  readonly rejected: readonly Rejection[];
}

export async function sendFiles(files: readonly string[], settings: SendSettings, progress: Progress): Promise<SendResult> {
  const items: SendItem[] = [];
  const rejected: Rejection[] = [];
  for (const file of files) {
    const split = splitAlertFile(file, await readFile(file, 'utf8'));
    items.push(...split.items);
    rejected.push(...split.invalid);
  }
  const total = items.length + rejected.length;
  progress.start(total);
  let accepted = 0;
  for (const batch of chunkItems(items, settings.batchSize, MAX_BATCH_BYTES)) {
    const outcome = await postBatch(settings, batch);
    accepted += outcome.accepted;
    rejected.push(...outcome.rejected);
    progress.update(accepted + rejected.length, accepted, rejected.length);
  }
  progress.stop();
  return { total, accepted, rejected };
}

export function formatSummary(result: SendResult, files: number): string[] {
  const lines = [`accepted ${result.accepted}, rejected ${result.rejected.length} of ${result.total} records from ${files} file(s)`];
  if (result.rejected.length === 0) return lines;
  const codes = new Map<string, number>();
  for (const r of result.rejected) codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
  lines.push(`rejections by code: ${[...codes].map(([code, n]) => `${code} ${n}`).join(', ')}`);
  lines.push(`first ${Math.min(SHOWN_REJECTIONS, result.rejected.length)}:`);
  for (const r of result.rejected.slice(0, SHOWN_REJECTIONS)) lines.push(`  ${r.source}  ${r.code}${r.path ? `  ${r.path}` : ''}  ${r.message}`);
  return lines;
}

function parseBatch(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 500) throw new Error(`--batch must be an integer from 1 to 500 (got ${value})`);
  return n;
}

/** `vigil send ...`: exit code 0 if every record was accepted, 1 if any was not, 2 for usage errors. */
export async function sendCommand(ctx: CliContext, argv: string[], envToken: string | undefined, log: Log): Promise<number> {
  let values;
  let files: string[];
  let batchSize: number;
  try {
    ({ values, positionals: files } = parseArgs({ args: argv, options, allowPositionals: true }));
    batchSize = parseBatch(values.batch);
    if (!['auto', ...sourceFormats].includes(values.format)) throw new Error(`--format must be one of auto, ${sourceFormats.join(', ')}`);
    if (files.length === 0) throw new Error('name at least one file');
  } catch (err) {
    console.error(`vigil send: ${(err as Error).message}\n\n${usage}`);
    return 2;
  }
  const token = values.token ?? envToken ?? (await ctx.devToken({ tenant: values.tenant, role: 'sensor' }));
  const settings: SendSettings = { url: (values.url ?? ctx.endpoints.ingestUrl).replace(/\/+$/, ''), token, format: values.format, batchSize };
  try {
    const result = await sendFiles(files, settings, createProgress(process.stderr));
    for (const line of formatSummary(result, files.length)) log(line);
    return result.rejected.length === 0 && result.total > 0 ? 0 : 1;
  } catch (err) {
    if (err instanceof GatewayUnreachable) {
      console.error(`vigil send: ${err.message}`);
      return 1;
    }
    throw err;
  }
}
