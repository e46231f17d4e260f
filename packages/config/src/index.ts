export { parseConfig, ConfigError } from './parse-config.ts';
export * as fields from './fields.ts';
