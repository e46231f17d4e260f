import { DEV_AUDIENCE, DEV_ISSUER, mintToken, type Role } from '@vigil/auth';
import type { DevContext } from './dev-context.ts';

export async function mintDevToken(ctx: DevContext, options: { tenant: string; role: string; ttl?: string | undefined }): Promise<string> {
  return mintToken({
    dir: ctx.idpDir,
    tenant: options.tenant,
    role: options.role as Role,
    issuer: DEV_ISSUER,
    audience: DEV_AUDIENCE,
    ...(options.ttl ? { ttlSeconds: Number(options.ttl) } : {}),
  });
}
