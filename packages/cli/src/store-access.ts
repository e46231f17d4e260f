import { fields, loadStoreConnections, parseConfig, type StoreConnections, type StoreSecurity } from '@vigil/config';
import type { Endpoints } from './endpoints.ts';

/**
 * The same variables as the services, prefixed VIGIL_ like every CLI endpoint
 * (VIGIL_KAFKA_SSL, VIGIL_KAFKA_SASL_PASSWORD_FILE, VIGIL_REDIS_CA_FILE, ...); secrets
 * may be `_FILE` as for the services.
 */
export function storeSecurityFromEnv(env: Readonly<Record<string, string | undefined>>): StoreSecurity {
  const unprefixed = Object.fromEntries(Object.entries(env).filter(([name]) => name.startsWith('VIGIL_')).map(([name, value]) => [name.slice('VIGIL_'.length), value]));
  return parseConfig('vigil', fields.storeSecuritySchema, unprefixed);
}

/** The connection of every store an operator command opens, from the endpoints after flags; CA files read here, once per command. */
export function storeAccess(endpoints: Endpoints): StoreConnections {
  return loadStoreConnections('vigil', {
    ...endpoints.security,
    KAFKA_BROKERS: endpoints.kafkaBrokers,
    SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
    REDIS_URL: endpoints.redisUrl,
    DATABASE_URL: endpoints.databaseUrl,
    // No operator command reads OpenSearch; the default only satisfies the builder.
    OPENSEARCH_URL: 'http://127.0.0.1:9200',
  });
}
