import { createDevContext, mintDevToken, runStateFile, servicePorts } from '@vigil/dev-stack';
import type { CliContext } from './cli-context.ts';
import { endpointsFromEnv, opsTargets, type Endpoints, type OpsTarget } from './endpoints.ts';
import { storeSecurityFromEnv } from './store-access.ts';

/**
 * The CLI's defaults are the local development stack's endpoints; VIGIL_* variables and
 * flags point it elsewhere. This file is the only one of the operator CLI that knows the dev stack.
 */
export function createLocalCliContext(env: Readonly<Record<string, string | undefined>>): CliContext {
  const dev = createDevContext(env);
  const s = dev.serviceEnv;
  const defaults: Endpoints = {
    kafkaBrokers: s['KAFKA_BROKERS']!.split(','),
    schemaRegistryUrl: s['SCHEMA_REGISTRY_URL']!,
    redisUrl: s['REDIS_URL']!,
    databaseUrl: s['DATABASE_URL']!,
    jwksUrl: s['JWKS_URL']!,
    jwtIssuer: s['JWT_ISSUER']!,
    jwtAudience: s['JWT_AUDIENCE']!,
    ingestUrl: dev.ingestUrl,
    queryUrl: dev.queryUrl,
    opsUrls: Object.fromEntries(opsTargets.map((name) => [name, `http://127.0.0.1:${servicePorts[name].metrics}`])) as Record<OpsTarget, string>,
    runStateFile: runStateFile(dev),
    security: storeSecurityFromEnv(env),
  };
  return { endpoints: endpointsFromEnv(defaults, env), devToken: (options) => mintDevToken(dev, options) };
}
