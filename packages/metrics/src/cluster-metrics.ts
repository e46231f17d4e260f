import { AggregatorRegistry, type Registry } from 'prom-client';
import type { MetricsSource } from './ops-server.ts';

/**
 * Metrics of a process group (see @vigil/process): each member keeps its own registry
 * and hands it to the primary on request over the cluster's IPC channel; the primary's
 * /metrics serves the sum (counters and histograms add up; prom-client's per-metric
 * aggregators decide the rest).
 */
export function shareWithGroupPrimary(registry: Registry): void {
  // Constructing one registers the member's IPC listener.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
}

export function groupMetrics(service: string): MetricsSource {
  const aggregator = new AggregatorRegistry();
  return {
    contentType: aggregator.contentType,
    // Members label their series with the service already; the sum keeps that label.
    metrics: () => aggregator.clusterMetrics().then((text) => text || `# no member of ${service} answered\n`),
  };
}
