import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DevContext } from './dev-context.ts';
import { mintDevToken } from './dev-token.ts';

/**
 * The demo's correlation rules (infra/demo/rules.yml), imported through the rules API as
 * an engineer would, so the demo feed's attacks become incidents. A re-run reports them
 * unchanged: importing is idempotent.
 */
export async function importDemoRules(ctx: DevContext, tenants: readonly string[], log: (line: string) => void): Promise<void> {
  const yaml = await readFile(join(ctx.repoRoot, 'infra', 'demo', 'rules.yml'), 'utf8');
  for (const tenant of tenants) {
    const token = await mintDevToken(ctx, { tenant, role: 'engineer' });
    const response = await fetch(`${ctx.queryUrl}/v1/rules/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/yaml' },
      body: yaml,
      signal: AbortSignal.timeout(10_000),
    });
    const report = (await response.json()) as { imported?: number; updated?: number; unchanged?: number; rejected?: number };
    if (response.status !== 200) throw new Error(`importing the demo rules for ${tenant} failed: HTTP ${response.status} ${JSON.stringify(report)}`);
    log(`rules for ${tenant}: ${report.imported} imported, ${report.updated} updated, ${report.unchanged} unchanged, ${report.rejected} rejected (infra/demo/rules.yml)`);
  }
}
