export { createMetricsRegistry, Counter, Gauge, Histogram, Registry } from './registry.ts';
export { startOpsServer, type MetricsSource, type OpsServer, type OpsServerOptions } from './ops-server.ts';
export { groupMetrics, shareWithGroupPrimary } from './cluster-metrics.ts';
