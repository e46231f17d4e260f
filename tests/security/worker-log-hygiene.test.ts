import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { stages, topics } from '@vigil/contracts';
import { alertDocsOf } from '../support/alert-docs.ts';
import { startFaultPipeline } from '../support/fault-pipeline.ts';
import { readTopic } from '../support/kafka.ts';
import { buildPoison, poisonKinds, producePoison, type PoisonPosition } from '../support/poison.ts';
import { uniqueTenant } from '../support/stack-env.ts';
import { tokenFor } from '../support/tokens.ts';
import { waitFor } from '../support/wait.ts';

/**
 * log-hygiene.test.ts covers the two APIs; this covers the workers. Alerts carrying a
 * recognisable secret and password go through the whole pipeline at debug level, through
 * a store outage (so the retry and pause paths log too), until indexed; then poison of each
 * kind carrying the same secret, password and a payload marker is dead-lettered by dedup (so
 * the decode, refusal and DLQ-write paths log too); then every log file (dedup, correlate,
 * indexer and the APIs) is scanned.
 */

const tenant = uniqueTenant('sec-wlogs');
const secret = `AKIA${randomBytes(8).toString('hex').toUpperCase()}`;
const password = `pw-${randomBytes(12).toString('hex')}`;
const payloadMarker = `poison-payload-${randomBytes(8).toString('hex')}`;
let files: string[] = [];
let sensor: string;
let poisoned: PoisonPosition[] = [];
let lettersWithMarker = 0;

beforeAll(async () => {
  sensor = await tokenFor(tenant, 'sensor');
  const pipeline = await startFaultPipeline({ LOG_LEVEL: 'debug' });
  try {
    const alerts = Array.from({ length: 20 }, (_, i) => ({
      id: `leak-${i}-${secret}`, rule: { id: 'leak-test', name: `secret ${secret}` }, severity: 'high', event_time: new Date().toISOString(),
      observables: { host: `h-${i}`, url: `https://u:${password}@example.com/?token=${secret}`, process: `mysql -p${password}` }, labels: { note: `password=${password}` },
    }));
    const post = (batch: object[]) => fetch(`${pipeline.ingestUrl}/v1/alerts/batch`, { method: 'POST', headers: { authorization: `Bearer ${sensor}`, 'content-type': 'application/json' }, body: JSON.stringify(batch) });
    expect((await post(alerts.slice(0, 10))).status).toBe(202);
    // The indexer meets an outage with these alerts in hand: its retry and pause paths log.
    pipeline.proxies.opensearch.cut();
    try {
      await waitFor(async () => ((await pipeline.ready('indexer')) ? undefined : true));
      expect((await post(alerts.slice(10))).status).toBe(202);
    } finally {
      pipeline.proxies.opensearch.restore();
    }
    await waitFor(async () => ((await alertDocsOf(tenant)).length === alerts.length ? true : undefined), 120_000, 500);
    // Poison is the input a worker is most tempted to quote: the run ends once dedup has
    // written every letter (the unknown schema id after its grace).
    poisoned = await producePoison(await buildPoison(tenant, poisonKinds, `secret=${secret} password=${password} ${payloadMarker}`));
    const letters = async () => (await readTopic(stages.dedup.dlq)).filter((r) => r.key?.toString('utf8').startsWith(`${tenant}|poison-`));
    const written = await waitFor(async () => {
      const mine = await letters();
      return new Set(mine.map((r) => r.key?.toString('utf8'))).size === poisonKinds.length ? mine : undefined;
    }, 120_000, 500);
    lettersWithMarker = written.filter((r) => r.value?.includes(payloadMarker)).length;
  } finally {
    files = pipeline.logFiles();
    await pipeline.stop();
  }
}, 300_000);

describe('log hygiene of the workers', () => {
  it('every service of the pipeline wrote a log (the scan is not vacuous)', () => {
    for (const name of ['dedup', 'correlate', 'indexer', 'ingest-api', 'query-api']) expect(files.some((f) => f.includes(`/${name}-`)), name).toBe(true);
  });

  it('the scanned run includes a dead letter of every poison kind: dedup logged each by position and code', () => {
    const lines = files.filter((f) => f.includes('/dedup-')).flatMap((f) => readFileSync(f, 'utf8').split('\n'));
    const logged = lines.flatMap((line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; topic?: string; partition?: number; offset?: string; code?: string };
        return entry.msg === 'record dead-lettered' && entry.topic === topics.alertsRaw.name ? [`${entry.partition}:${entry.offset}`] : [];
      } catch {
        return [];
      }
    });
    expect(poisoned).toHaveLength(poisonKinds.length);
    // The marker is where it belongs: in the letters' original bytes (all but the trimmed one).
    expect(lettersWithMarker).toBeGreaterThanOrEqual(poisonKinds.length - 1);
    for (const p of poisoned) expect(logged, p.kind).toContain(`${p.partition}:${p.offset}`);
  });

  it.each([
    ['a secret inside an alert', () => secret],
    ['a password inside an alert', () => password],
    ['the bearer token', () => sensor.split('.')[2]!],
    ["a poison record's payload", () => payloadMarker],
  ])('no log line of any service holds %s', (_what, needle) => {
    for (const file of files) expect(readFileSync(file, 'utf8').includes(needle()), file).toBe(false);
  });
});
