import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { CliContext } from '../cli-context.ts';
import { diff, exportRules, history, simulate } from './rules-lifecycle.ts';

const usage = `usage: vigil rules <command> [--url URL] [--token T | --tenant T]

  list [--status enabled|disabled] [--kind K] [--tag T] [--q TEXT] [--json]
                                    the tenant's rules
  show <rule-id> [--json]           one rule with its Sigma source
  import <file>... [--json]         import Sigma YAML (single or multi-document): per rule
                                    imported / updated (new version) / unchanged / rejected with reason
  enable <rule-id> | disable <rule-id>
  export [<rule-id>...] [--out FILE]  Sigma YAML of these rules (default: all); re-imports to the same rules
  history <rule-id>                 every version, who made it and when
  diff <rule-id> <from> <to>        line diff between two versions
  simulate <rule-id> --from T --to T [--version N] [--file DRAFT.yml] [--json]
                                    backtest over the tenant's stored alerts (ISO times or epoch ms),
                                    with a progress bar; nothing live changes. --file simulates a draft.

A real deployment: --url (the query API) and --token (or VIGIL_TOKEN) with rules:read/rules:write.
Local development: --tenant T mints an engineer token from the development identity provider.`;

type Log = (line: string) => void;

const options = {
  url: { type: 'string' },
  token: { type: 'string' },
  tenant: { type: 'string' },
  status: { type: 'string' },
  kind: { type: 'string' },
  tag: { type: 'string' },
  q: { type: 'string' },
  json: { type: 'boolean', default: false },
  out: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  version: { type: 'string' },
  file: { type: 'string' },
} as const;

interface ImportLine {
  document: number;
  line: number | null;
  key: string | null;
  title: string | null;
  status: string;
  version?: number;
  problems?: Array<{ path: string; line?: number; feature?: string; message: string }>;
  warnings?: string[];
}

/** `vigil rules ...`: a client of the rules API, pointed at any deployment by flags. */
export async function rulesCommand(ctx: CliContext, args: string[], envToken: string | undefined, log: Log): Promise<number> {
  const { values, positionals } = parseArgs({ args, options, allowPositionals: true });
  const [sub, ...rest] = positionals;
  const url = (values.url ?? ctx.endpoints.queryUrl).replace(/\/$/, '');
  const token = values.token ?? envToken ?? (values.tenant ? await ctx.devToken({ tenant: values.tenant, role: 'engineer' }) : undefined);
  if (!sub || sub === 'help') {
    log(usage);
    return sub ? 0 : 2;
  }
  if (!token) {
    log('vigil rules: a token is needed: --token T (or VIGIL_TOKEN), or --tenant T in local development');
    return 2;
  }
  const call = async (method: string, path: string, body?: string, contentType = 'application/yaml'): Promise<{ status: number; json: Record<string, unknown>; text: string }> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    // Export answers YAML; everything else (errors included) is JSON.
    const json = (response.headers.get('content-type') ?? '').includes('json') ? (JSON.parse(text) as Record<string, unknown>) : {};
    return { status: response.status, json, text };
  };
  const fail = (r: { status: number; json: Record<string, unknown> }) => {
    const error = r.json['error'] as { code?: string; message?: string } | undefined;
    log(`vigil rules: HTTP ${r.status} ${error?.code ?? ''} ${error?.message ?? ''}`.trim());
    return 1;
  };

  switch (sub) {
    case 'list': {
      const query = new URLSearchParams();
      for (const key of ['status', 'kind', 'tag', 'q'] as const) if (values[key]) query.set(key, values[key]!);
      const r = await call('GET', `/v1/rules${query.size > 0 ? `?${query}` : ''}`);
      if (r.status !== 200) return fail(r);
      if (values.json) return print(log, r.json);
      const items = r.json['items'] as Array<{ id: string; kind: string; type: string | null; version: number; enabled: boolean; level: string | null; title: string }>;
      log(`${'RULE'.padEnd(40)} ${'KIND'.padEnd(28)} VER  ${'STATE'.padEnd(8)} ${'LEVEL'.padEnd(8)} TITLE`);
      for (const i of items) log(`${i.id.padEnd(40)} ${(i.type ? `${i.kind}/${i.type}` : i.kind).padEnd(28)} ${String(i.version).padEnd(4)} ${(i.enabled ? 'enabled' : 'disabled').padEnd(8)} ${(i.level ?? '-').padEnd(8)} ${i.title}`);
      log(`${items.length} rule(s)`);
      return 0;
    }
    case 'show': {
      if (!rest[0]) return usageError(log);
      const r = await call('GET', `/v1/rules/${encodeURIComponent(rest[0])}`);
      if (r.status !== 200) return fail(r);
      if (values.json) return print(log, r.json);
      const { source, ...meta } = r.json;
      for (const [k, v] of Object.entries(meta)) log(`${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
      log('---');
      log(String(source));
      return 0;
    }
    case 'import': {
      if (rest.length === 0) return usageError(log);
      let exit = 0;
      for (const file of rest) {
        const r = await call('POST', '/v1/rules/import', await readFile(file, 'utf8'));
        if (r.status !== 200 && r.status !== 422) return fail(r);
        if (values.json) print(log, r.json);
        else printImport(log, file, r.json);
        if (r.status !== 200 || Number(r.json['rejected']) > 0) exit = 1;
      }
      return exit;
    }
    case 'enable':
    case 'disable': {
      if (!rest[0]) return usageError(log);
      const r = await call('POST', `/v1/rules/${encodeURIComponent(rest[0])}/${sub}`);
      if (r.status !== 200) return fail(r);
      log(`${rest[0]}: ${sub}d`);
      return 0;
    }
    case 'export': {
      const failed = await exportRules(call, rest, values.out, log);
      return failed ? fail(failed) : 0;
    }
    case 'history': {
      if (!rest[0]) return usageError(log);
      const failed = await history(call, rest[0], log);
      return failed ? fail(failed) : 0;
    }
    case 'diff': {
      if (!rest[0] || !rest[1] || !rest[2]) return usageError(log);
      const failed = await diff(call, rest[0], rest[1], rest[2], log);
      return failed ? fail(failed) : 0;
    }
    case 'simulate': {
      if ((!rest[0] && !values.file) || !values.from || !values.to) return usageError(log);
      const time = (v: string) => (/^\d+$/.test(v) ? Number(v) : v);
      const rule = values.file ? { yaml: await readFile(values.file, 'utf8') } : { rule_id: rest[0], ...(values.version ? { version: Number(values.version) } : {}) };
      const failed = await simulate(call, { ...rule, from: time(values.from), to: time(values.to) }, values.json, log);
      return failed ? fail(failed) : 0;
    }
    default:
      return usageError(log);
  }
}

function usageError(log: Log): number {
  log(usage);
  return 2;
}

function print(log: Log, json: unknown): number {
  log(JSON.stringify(json, null, 2));
  return 0;
}

function printImport(log: Log, file: string, json: Record<string, unknown>): void {
  log(`${file}: ${json['imported']} imported, ${json['updated']} updated, ${json['unchanged']} unchanged, ${json['rejected']} rejected`);
  for (const rule of json['rules'] as ImportLine[]) {
    const name = rule.key ?? rule.title ?? `document ${rule.document}`;
    log(`  ${rule.status.padEnd(9)} ${name}${rule.version ? ` (v${rule.version})` : ''}`);
    for (const p of rule.problems ?? []) log(`    ${file}:${p.line ?? rule.line ?? '?'} ${p.path}: ${p.message}${p.feature ? ` [unsupported: ${p.feature}]` : ''}`);
    for (const w of rule.warnings ?? []) log(`    note: ${w}`);
  }
}
