import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceFormats } from '@vigil/contracts';
import { loadFixtures, type ValidFixture } from '@vigil/ingest-api/testing';
import { startPipeline, type Pipeline } from '../support/pipeline.ts';
import { uniqueTenant } from '../support/stack-env.ts';
import { tokenFor } from '../support/tokens.ts';
import { waitFor } from '../support/wait.ts';

/**
 * Every valid fixture of every native format, posted byte for byte (re-timed) through a
 * real gateway, becomes a searchable alert with the expected rule id, format and time.
 */

const DAY = 86_400_000;
const NEAR = 2 * DAY;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})([Tt ].*)$/;

function shiftIsoDate(text: string, eventTime: number, days: number): string {
  const m = ISO_DATE.exec(text);
  if (!m) return text;
  const [, y, mo, d, rest] = m as unknown as [string, string, string, string, string];
  const date = Date.UTC(Number(y), Number(mo) - 1, Number(d));
  if (Math.abs(date - eventTime) > NEAR) return text;
  return `${new Date(date + days * DAY).toISOString().slice(0, 10)}${rest}`;
}

/**
 * Fixtures carry fixed 2025 times, and the gateway refuses events older than 30 days.
 * Moving every timestamp near the event time by the same whole number of days keeps each
 * fixture's own spelling (offsets, fractions, epoch seconds or milliseconds) intact.
 */
function retime(value: unknown, eventTime: number, days: number): unknown {
  if (typeof value === 'string') return shiftIsoDate(value, eventTime, days);
  if (typeof value === 'number') {
    if (Math.abs(value - eventTime) <= NEAR) return value + days * DAY;
    if (Math.abs(value * 1000 - eventTime) <= NEAR) return value + days * 86_400;
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => retime(item, eventTime, days));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, retime(v, eventTime, days)]));
  return value;
}

let pipeline: Pipeline;
const tenant = uniqueTenant('e2e-fmt');
let sensor: string;
let analyst: string;

beforeAll(async () => {
  pipeline = await startPipeline();
  [sensor, analyst] = await Promise.all([tokenFor(tenant, 'sensor'), tokenFor(tenant, 'analyst')]);
});

afterAll(async () => {
  await pipeline?.stop();
});

interface Posted {
  readonly fixture: ValidFixture;
  readonly id: string;
  readonly eventTime: number;
}

async function postFixture(format: string, fixture: ValidFixture, n: number): Promise<Posted> {
  const days = Math.floor((Date.now() - fixture.draft.event_time) / DAY);
  const body = retime(fixture.input, fixture.draft.event_time, days);
  // Half of them named, half detected: both paths must lead to the same mapper.
  const path = n % 2 === 0 ? `/v1/alerts?format=${format}` : '/v1/alerts';
  const response = await pipeline.post(sensor, path, body);
  expect(response.status, `${fixture.name}: ${JSON.stringify(response.body)}`).toBe(202);
  expect(response.body['format'], fixture.name).toBe(format);
  return { fixture, id: response.body['id'] as string, eventTime: fixture.draft.event_time + days * DAY };
}

async function searchable(format: string, posted: Posted): Promise<void> {
  const { fixture, id } = posted;
  const doc = await waitFor(async () => {
    const r = await pipeline.query(analyst, `/v1/alerts/${id}`);
    return r.status === 200 ? r.body : undefined;
  });
  expect(doc, fixture.name).toMatchObject({
    id,
    tenant_id: tenant,
    source_format: format,
    rule_id: fixture.draft.rule_id,
    rule_name: fixture.draft.rule_name,
    severity: fixture.draft.severity,
    event_time: posted.eventTime,
  });
  const byRule = await pipeline.query(analyst, `/v1/alerts?rule_id=${encodeURIComponent(fixture.draft.rule_id)}&size=50`);
  expect((byRule.body['items'] as { id: string }[]).map((a) => a.id), fixture.name).toContain(id);
}

describe.each([...sourceFormats])('%s fixtures end to end', (format) => {
  const { valid } = loadFixtures(format);

  it('are searchable with their rule id after posting through the gateway', async () => {
    expect(valid.length, `no valid fixtures in services/ingest-api/testing/formats/${format}`).toBeGreaterThan(0);
    const posted: Posted[] = [];
    for (const [n, fixture] of valid.entries()) posted.push(await postFixture(format, fixture, n));
    await Promise.all(posted.map((p) => searchable(format, p)));
  });
});
