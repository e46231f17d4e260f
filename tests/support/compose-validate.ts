import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { parse } from 'yaml';

const schemaFile = new URL('../../infra/compose/compose-spec.schema.json', import.meta.url);

/**
 * Problems of a Compose file without a Docker engine: the Compose Specification's JSON schema
 * (vendored, infra/compose), then what the schema cannot say: every `depends_on` names a
 * service of the file. An empty list means the file is valid.
 */
export function composeProblems(text: string): string[] {
  let doc: unknown;
  try {
    // `merge: true`: the file shares settings through YAML merge keys (`<<: *vigil-env`).
    doc = parse(text, { merge: true });
  } catch (err) {
    return [`not YAML: ${(err as Error).message}`];
  }
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as Record<string, unknown>;
  // The schema names draft 2019-09 but uses only draft-07 keywords; ajv 6 knows draft-07.
  delete schema['$schema'];
  // Compose-specific formats the schema names without defining: durations are checked,
  // `ports`, `expose` and `subnet_ip_address` have many spellings and are left to the engine.
  const ajv = new Ajv({ allErrors: true, schemaId: 'auto', unknownFormats: 'ignore', logger: false });
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
  const problems: string[] = [];
  if (!ajv.validate(schema, doc)) for (const e of ajv.errors ?? []) problems.push(`${e.dataPath || '/'} ${e.message ?? ''}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
  const services = ((doc as { services?: Record<string, { depends_on?: unknown }> } | null)?.services) ?? {};
  for (const [name, service] of Object.entries(services)) {
    const deps = service?.depends_on;
    const named = Array.isArray(deps) ? deps : deps && typeof deps === 'object' ? Object.keys(deps) : [];
    for (const dep of named) if (!(String(dep) in services)) problems.push(`services.${name}.depends_on names "${String(dep)}", which is not a service`);
  }
  return problems;
}
