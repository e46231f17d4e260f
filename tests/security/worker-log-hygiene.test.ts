import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { alertDocsOf } from '../support/alert-docs.ts';
import { startFaultPipeline } from '../support/fault-pipeline.ts';
import { uniqueTenant } from '../support/stack-env.ts';
import { tokenFor } from '../support/tokens.ts';
import { waitFor } from '../support/wait.ts';

/**
 * log-hygiene.test.ts covers the two APIs; this covers the workers. Alerts carrying a
 * recognisable secret and password go through the whole pipeline at debug level, through
 * a store outage (so the retry and pause paths log too), until indexed; then every log
 * file (dedup, correlate, indexer and the APIs) is scanned.
 */

const tenant = uniqueTenant('sec-wlogs');
const secret = `AKIA${randomBytes(8).toString('hex').toUpperCase()}`;
const password = `pw-${randomBytes(12).toString('hex')}`;
let files: string[] = [];
let sensor: string;

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
  } finally {
    files = pipeline.logFiles();
    await pipeline.stop();
  }
}, 300_000);

describe('log hygiene of the workers', () => {
  it('every service of the pipeline wrote a log (the scan is not vacuous)', () => {
    for (const name of ['dedup', 'correlate', 'indexer', 'ingest-api', 'query-api']) expect(files.some((f) => f.includes(`/${name}-`)), name).toBe(true);
  });

  it.each([
    ['a secret inside an alert', () => secret],
    ['a password inside an alert', () => password],
    ['the bearer token', () => sensor.split('.')[2]!],
  ])('no log line of any service holds %s', (_what, needle) => {
    for (const file of files) expect(readFileSync(file, 'utf8').includes(needle()), file).toBe(false);
  });
});
