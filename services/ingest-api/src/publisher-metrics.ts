import { Counter, Gauge, Histogram, type Registry } from '@vigil/metrics';
import { isVigilError } from '@vigil/errors';
import type { Publisher } from './publisher.ts';

/**
 * Wrap a publisher with Prometheus metrics: alerts acknowledged by Kafka, alerts shed
 * (503) by reason, ack latency, and the records in flight (the load-shedding gauge).
 */
export function instrumentPublisher(publisher: Publisher, registry: Registry): Publisher {
  const registers = [registry];
  const accepted = new Counter({ name: 'vigil_ingest_alerts_accepted_total', help: 'Alerts acknowledged by Kafka (acks=all) and answered 202', registers });
  const shed = new Counter({ name: 'vigil_ingest_alerts_shed_total', help: 'Alerts refused with 503 or timed out waiting for Kafka', labelNames: ['code'], registers });
  const latency = new Histogram({ name: 'vigil_ingest_publish_seconds', help: 'Time from handing alerts to the producer to the Kafka ack', buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers });
  new Gauge({ name: 'vigil_ingest_in_flight_records', help: 'Records queued or being sent to Kafka', registers, collect() { this.set(publisher.inFlight()); } });
  return {
    ...publisher,
    async publish(alerts) {
      const end = latency.startTimer();
      try {
        await publisher.publish(alerts);
        accepted.inc(alerts.length);
      } catch (err) {
        shed.labels(isVigilError(err) ? err.code : 'INTERNAL').inc(alerts.length);
        throw err;
      } finally {
        end();
      }
    },
  };
}
