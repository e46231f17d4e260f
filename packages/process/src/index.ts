// Process lifecycle of every service main (HTTP APIs and stage workers alike), apart from
// any client package so an API does not depend on Kafka to exit cleanly.
export { exitOnSignals } from './exit-on-signals.ts';
export { isGroupMember, serveAsGroupMember, startProcessGroup, type ProcessGroup, type ProcessGroupOptions } from './process-group.ts';
