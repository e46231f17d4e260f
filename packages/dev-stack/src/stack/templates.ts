import { readFile } from 'node:fs/promises';

// `{{name}}` rather than `${name}`: log4j, OpenSearch and Quarkus all give `${...}`
// a meaning of their own, and a template must be able to pass those through.
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g;

export type TemplateValues = Record<string, string | number | boolean>;

/** Fills placeholders; a missing or unused value is an error so templates and code cannot drift apart. */
export function renderTemplate(template: string, values: TemplateValues): string {
  const used = new Set<string>();
  const missing = new Set<string>();
  const out = template.replace(PLACEHOLDER, (_whole, key: string) => {
    const value = values[key];
    if (value === undefined) {
      missing.add(key);
      return '';
    }
    used.add(key);
    return String(value);
  });
  if (missing.size > 0) throw new Error(`template value(s) missing: ${[...missing].join(', ')}`);
  const unused = Object.keys(values).filter((key) => !used.has(key));
  if (unused.length > 0) throw new Error(`template has no placeholder for: ${unused.join(', ')}`);
  return out;
}

export async function renderTemplateFile(path: string, values: TemplateValues): Promise<string> {
  const text = await readFile(path, 'utf8');
  try {
    return renderTemplate(text, values);
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
}
