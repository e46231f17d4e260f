// The development stack: everything that runs Vigil on one machine for `npm start`,
// the tests and the bench. Never imported by a service (eslint.config.js enforces it).
export { createDevContext, serviceNames, servicePorts, type DevContext, type ServiceName } from './dev-context.ts';
export { createDevIdp } from './dev-idp-component.ts';
export { mintDevToken } from './dev-token.ts';
export { startDemoFeed, demoTick, bruteForceEpisode, exploitAttempt, suricataAlert, vigilAlert, type DemoFeed, type DemoTenant } from './demo-feed.ts';
export { importDemoRules } from './demo-rules.ts';
export { preparePlatform } from './platform.ts';
export { provisionPlatform, type PlatformEndpoints } from './provision-platform.ts';
export { runPipeline } from './run-pipeline.ts';
export { startService, type ServiceProcess, type StartServiceOptions } from './service-process.ts';
export { stackCommand } from './stack-command.ts';
export { createSupervisor, instanceKey, runStateFile, type ServiceState, type SupervisorOptions } from './supervisor.ts';
export { idleInstanceWarnings, instanceMetricsPort, instancePlan, parseWorkerCounts, scalableWorkers, type ScalableWorker, type ServiceInstance, type WorkerCounts } from './worker-instances.ts';
export { createStack, formatStatus, isStackUpError, type StackUpError } from './stack/index.ts';
export * from './stack/ports.ts';
export { createStackPaths, defaultCacheDir } from './stack/paths.ts';
export { findOwnedPid, stopProcess } from './stack/process-control.ts';
export { httpGet, isTcpOpen, waitUntil } from './stack/probes.ts';
