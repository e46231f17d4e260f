import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertIndexFor } from '@vigil/search';
import { alertDocsOf } from '../support/alert-docs.ts';
import { startPipeline, type Pipeline } from '../support/pipeline.ts';
import { uniqueTenant } from '../support/stack-env.ts';
import { tokenFor } from '../support/tokens.ts';
import { waitFor } from '../support/wait.ts';

/**
 * I1 for a sensor that re-sends an alert (same sensor id, so the same alert id) with a
 * later event time on another day: the copy merges into the first document, in the
 * daily index of the first event time, instead of making a second document.
 */

const DAY = 86_400_000;

let pipeline: Pipeline;

beforeAll(async () => {
  pipeline = await startPipeline();
});

afterAll(async () => {
  await pipeline?.stop();
});

function sensorAlert(sensorId: string, eventTime: number, note: string): object {
  return { id: sensorId, rule: { id: 'resend-rule', name: 'Re-sent alert' }, severity: 'medium', event_time: new Date(eventTime).toISOString(), labels: { note }, observables: { host: 'resend-host' } };
}

describe('a re-sent alert id with an event time on another day', () => {
  it('stays one document, in the index of the first event time, with the later content', async () => {
    const tenant = uniqueTenant('e2e-resend');
    const sensor = await tokenFor(tenant, 'sensor');
    const first = Date.now() - 2 * DAY;
    const later = first + DAY;
    expect(alertIndexFor(later)).not.toBe(alertIndexFor(first));

    const a = await pipeline.post(sensor, '/v1/alerts', sensorAlert('sensor-alert-1', first, 'first'));
    expect(a.status).toBe(202);
    // The first copy is indexed before the re-send, as when a sensor retries a day later.
    await waitFor(async () => ((await alertDocsOf(tenant)).length > 0 ? true : undefined));
    const b = await pipeline.post(sensor, '/v1/alerts', sensorAlert('sensor-alert-1', later, 'again'));
    expect(b.status).toBe(202);
    expect(b.body['id']).toBe(a.body['id']);

    // Wait for the re-send's effect (its event time), then count every copy of the id.
    const docs = await waitFor(async () => {
      const found = await alertDocsOf(tenant);
      return found.some((d) => d.eventTime === later) ? found : undefined;
    });
    expect(docs).toEqual([{ id: a.body['id'], index: alertIndexFor(first), eventTime: later }]);
  });
});
