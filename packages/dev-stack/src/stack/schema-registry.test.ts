import { describe, expect, it } from 'vitest';
import { apicurioSystemProperties } from './schema-registry.ts';

describe('apicurioSystemProperties', () => {
  it('points Apicurio 3.0 at PostgreSQL on loopback, not the in-memory H2 default', () => {
    const props = apicurioSystemProperties();
    expect(props['apicurio.storage.kind']).toBe('sql');
    expect(props['apicurio.storage.sql.kind']).toBe('postgresql');
    expect(props['apicurio.datasource.url']).toBe('jdbc:postgresql://127.0.0.1:5432/apicurio');
    expect(props['apicurio.datasource.username']).toBe('postgres');
    expect(props['quarkus.http.host']).toBe('127.0.0.1');
    expect(props['quarkus.http.port']).toBe('8081');
  });

  it('keeps the connection pool far below PostgreSQL max_connections', () => {
    const props = apicurioSystemProperties();
    expect(Number(props['apicurio.datasource.jdbc.max-size'])).toBeLessThanOrEqual(10);
    expect(Number(props['apicurio.datasource.jdbc.initial-size'])).toBeLessThanOrEqual(Number(props['apicurio.datasource.jdbc.max-size']));
  });
});
