import { DEV_AUDIENCE, DEV_ISSUER, mintToken, type Role } from '@vigil/auth';
import { cli } from './stack-env.ts';

export function tokenFor(tenant: string, role: Role): Promise<string> {
  return mintToken({ dir: cli.idpDir, tenant, role, issuer: DEV_ISSUER, audience: DEV_AUDIENCE });
}
