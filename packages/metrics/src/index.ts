export { createMetricsRegistry, Counter, Gauge, Histogram, Registry } from './registry.ts';
export { startOpsServer, type OpsServer, type OpsServerOptions } from './ops-server.ts';
