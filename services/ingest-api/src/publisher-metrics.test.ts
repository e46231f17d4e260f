import { describe, expect, it } from 'vitest';
import { VigilError } from '@vigil/errors';
import { createMetricsRegistry } from '@vigil/metrics';
import type { Alert } from '@vigil/contracts';
import type { Publisher } from './publisher.ts';
import { instrumentPublisher } from './publisher-metrics.ts';

function publisherThat(fails: boolean): Publisher {
  return {
    publish: async () => {
      if (fails) throw new VigilError('OVERLOADED', 'busy');
    },
    healthy: () => true,
    inFlight: () => 7,
  };
}

const alerts = [{}, {}] as Alert[];

describe('instrumentPublisher', () => {
  it('counts acknowledged alerts and exposes the in-flight gauge', async () => {
    const registry = createMetricsRegistry('t');
    await instrumentPublisher(publisherThat(false), registry).publish(alerts);
    const text = await registry.metrics();
    expect(text).toMatch(/vigil_ingest_alerts_accepted_total\{service="t"\} 2/);
    expect(text).toMatch(/vigil_ingest_in_flight_records\{service="t"\} 7/);
  });

  it('counts shed alerts by code and still rejects', async () => {
    const registry = createMetricsRegistry('t');
    await expect(instrumentPublisher(publisherThat(true), registry).publish(alerts)).rejects.toMatchObject({ code: 'OVERLOADED' });
    expect(await registry.metrics()).toMatch(/vigil_ingest_alerts_shed_total\{code="OVERLOADED",service="t"\} 2/);
  });
});
