// The operator CLI's public surface for tests and tools; `vigil` itself starts at main.ts.
export type { CliContext } from './cli-context.ts';
export { endpointOptions, endpointsFromEnv, endpointsWithFlags, opsTargets, type Endpoints, type OpsTarget } from './endpoints.ts';
export { createLocalCliContext } from './local-defaults.ts';
export { stageStatus, type StageStatus, type StageTarget, type StuckDetail } from './commands/status.ts';
