import { describe, expect, it } from 'vitest';
import { poolConfig } from './pool.ts';

describe('poolConfig', () => {
  it('a plain connection string: no ssl option (the local stack)', () => {
    const config = poolConfig('postgres://vigil_app@127.0.0.1:5432/vigil', 'vigil-test', 2);
    expect(config).toMatchObject({ connectionString: 'postgres://vigil_app@127.0.0.1:5432/vigil', application_name: 'vigil-test', max: 2 });
    expect(config.ssl).toBeUndefined();
  });

  it('verify-full: the chain verified against the CA, host name checked by Node (no override)', () => {
    const config = poolConfig({ connectionString: 'postgres://app:pw@db/vigil', ssl: { ca: 'PEM', verifyHost: true } }, 'vigil-test', 10);
    expect(config.ssl).toEqual({ rejectUnauthorized: true, ca: 'PEM' });
  });

  it('verify-ca: the chain still verified, only the host name check is skipped', () => {
    const config = poolConfig({ connectionString: 'postgres://app:pw@db/vigil', ssl: { ca: 'PEM', verifyHost: false } }, 'vigil-test', 10);
    const ssl = config.ssl as { rejectUnauthorized: boolean; ca: string; checkServerIdentity: () => unknown };
    expect([ssl.rejectUnauthorized, ssl.ca, ssl.checkServerIdentity()]).toEqual([true, 'PEM', undefined]);
  });
});
