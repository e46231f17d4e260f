export { parseConfig, ConfigError } from './parse-config.ts';
export * as fields from './fields.ts';
export {
  buildStoreConnections,
  loadStoreConnections,
  type Credentials,
  type HttpStoreConnection,
  type KafkaConnection,
  type PostgresConnection,
  type RedisConnection,
  type SaslMechanism,
  type StoreConfig,
  type StoreConnections,
  type StoreSecurity,
  type TlsTrust,
} from './store-connections.ts';
