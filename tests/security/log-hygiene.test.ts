import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { startSecurityApis, type SecurityApis } from '../support/security-apis.ts';
import { uniqueTenant } from '../support/stack-env.ts';
import { tokenFor } from '../support/tokens.ts';

/**
 * Logs are read by more people than alert data: no bearer token, no secret a sensor put
 * in an alert, and no raw alert payload may reach them. Both APIs run at debug level
 * (the most they ever log), get accepted alerts, rejected alerts, forged and huge tokens,
 * searches and failing requests all carrying recognisable strings, and are stopped so
 * their files are complete; then the files are scanned.
 */

const tenant = uniqueTenant('sec-logs');
// Recognisable and found nowhere else: a leak cannot be a coincidence.
const secret = `AKIA${randomBytes(8).toString('hex').toUpperCase()}`;
const password = `pw-${randomBytes(12).toString('hex')}`;
const rawMarker = `raw-payload-${randomBytes(6).toString('hex')}`;
let apis: SecurityApis;
let sensor: string;
let analyst: string;
const forged = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: secret })).toString('base64url')}.${randomBytes(32).toString('base64url')}`;

function alert(i: number): Record<string, unknown> {
  return {
    id: `${rawMarker}-${i}`,
    rule: { id: 'leak-test', name: `Credential in command line ${secret}` },
    severity: 'high',
    event_time: new Date().toISOString(),
    observables: { host: `host-${rawMarker}`, url: `https://user:${password}@example.com/?token=${secret}`, process: `aws configure set aws_secret_access_key ${secret}` },
    labels: { note: `password=${password}` },
  };
}

async function exercise(): Promise<void> {
  const post = (path: string, token: string, body: unknown) => apis.ingest.call('POST', path, { token, body });
  expect((await post('/v1/alerts', sensor, alert(1))).status).toBe(202);
  expect([202, 207]).toContain((await post('/v1/alerts/batch', sensor, [alert(2), alert(3)])).status);
  // Rejected alerts quote their input in the answer; the log must not.
  expect((await post('/v1/alerts', sensor, { ...alert(4), severity: `bad-${secret}` })).status).toBe(400);
  expect((await post('/v1/alerts', sensor, { ...alert(5), tenant_id: secret })).status).toBe(400);
  expect((await post('/v1/alerts', sensor, `{"rule": "${secret}", `)).status).toBe(400);
  expect((await post('/v1/alerts', forged, alert(6))).status).toBe(401);
  expect((await post('/v1/alerts', analyst, alert(7))).status).toBe(403);
  const query = (path: string, token = analyst) => apis.query.call('GET', path, { token });
  expect((await query(`/v1/alerts?q=${encodeURIComponent(secret)}`)).status).toBe(200);
  expect((await query(`/v1/alerts?host=${encodeURIComponent(password)}&bogus=${secret}`)).status).toBe(400);
  expect((await query('/v1/alerts', forged)).status).toBe(401);
  expect((await query(`/v1/alerts/${secret}`)).status).toBe(404);
  expect((await apis.query.call('POST', '/v1/cases', { token: analyst, body: { title: secret, alert_ids: [`${secret}`] } })).status).toBe(400);
}

beforeAll(async () => {
  [sensor, analyst] = await Promise.all([tokenFor(tenant, 'sensor'), tokenFor(tenant, 'analyst')]);
  apis = await startSecurityApis();
  try {
    await exercise();
  } finally {
    await apis.stop();
  }
});

describe('log hygiene', () => {
  const logs = () => apis.processes.map((p) => ({ file: p.logFile, text: readFileSync(p.logFile, 'utf8') }));

  it('the services logged the requests at all (the scan below is not vacuous)', () => {
    for (const { file, text } of logs()) expect(text.split('\n').filter((l) => l.includes('"msg":"request"')).length, file).toBeGreaterThan(3);
  });

  it.each([
    ['a valid bearer token', () => [sensor, analyst, sensor.split('.')[2]!, analyst.split('.')[2]!]],
    ['a forged bearer token', () => [forged, forged.split('.')[1]!]],
    ['a secret inside an alert or a query', () => [secret]],
    ['a password inside an alert', () => [password]],
    ['the raw alert payload', () => [rawMarker, JSON.stringify(alert(1)).slice(0, 40)]],
  ])('no log line holds %s', (_what, needles) => {
    for (const { file, text } of logs()) for (const needle of needles()) expect(text.includes(needle), `${needle.slice(0, 24)}… in ${file}`).toBe(false);
  });
});
