import type { Permission } from '@vigil/auth';
import { swagger, type FastifyInstance, type HttpApp } from '@vigil/http';
import type { Pool } from '@vigil/postgres';
import type { CursorCodec } from '../cursor.ts';
import type { SearchStore } from '../search-store.ts';
import { registerAlertRoutes } from './alert-routes.ts';
import { registerCaseReadRoutes, registerCaseWriteRoutes } from './case-routes.ts';
import { registerIncidentReadRoutes, registerIncidentWriteRoutes } from './incident-routes.ts';

export interface AnalystDeps {
  readonly store: SearchStore;
  readonly pool: Pool;
  readonly codec: CursorCodec;
  /** Extra route families (webhooks) registered under their own permission. */
  readonly more?: ReadonlyArray<readonly [Permission, (scope: FastifyInstance) => void]>;
}

/**
 * The OpenAPI document and the analyst route families, each under its own permission; the
 * tenant always comes from the token. Call before other routes so the document lists them.
 */
export async function registerAnalystRoutes(http: HttpApp, deps: AnalystDeps): Promise<void> {
  const { app } = http;
  await app.register(swagger, {
    openapi: {
      info: { title: 'Vigil query API', version: '1.0.0', description: 'Analysts search alerts, triage incidents and work cases. Guide: docs/query-api.md; errors: docs/errors.md.' },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
  });
  app.get('/openapi.json', { schema: { hide: true } as object }, async () => app.swagger());
  const families: ReadonlyArray<readonly [Permission, (scope: FastifyInstance) => void]> = [
    ['alerts:read', (s) => registerAlertRoutes(s, deps.store, deps.pool)],
    ['incidents:read', (s) => registerIncidentReadRoutes(s, deps.store, deps.pool, deps.codec)],
    ['incidents:write', (s) => registerIncidentWriteRoutes(s, deps.pool)],
    ['alerts:read', (s) => registerCaseReadRoutes(s, deps.pool)],
    ['cases:write', (s) => registerCaseWriteRoutes(s, deps.store, deps.pool)],
    ...(deps.more ?? []),
  ];
  for (const [permission, register] of families) {
    await app.register(async (scope) => {
      // The JSON schemas on these routes are documentation: zod validates, JSON.stringify answers.
      scope.setValidatorCompiler(() => () => true);
      scope.setSerializerCompiler(() => (data) => JSON.stringify(data));
      scope.addHook('onRequest', http.authenticate(permission));
      register(scope);
    });
  }
}
