import { isPlainObject } from './value-type.ts';

function splitKey(key: string): string[] | null {
  if (!key.includes('.')) return null;
  const parts = key.split('.');
  // "a..b", ".a" and "a." are not paths; keep such keys literally.
  return parts.every((p) => p !== '') ? parts : null;
}

function setPath(target: Record<string, unknown>, parts: readonly string[], value: unknown): void {
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (next === undefined) {
      const created: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      node[part] = created;
      node = created;
    } else if (isPlainObject(next)) {
      node = next;
    } else {
      return; // A scalar already sits on the path: the first writer wins.
    }
  }
  const leaf = parts[parts.length - 1]!;
  const existing = node[leaf];
  if (existing === undefined) node[leaf] = value;
  else if (isPlainObject(existing) && isPlainObject(value)) mergeInto(existing, value);
}

function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) setPath(target, splitKey(key) ?? [key], expandDottedKeys(value));
}

/**
 * Elasticsearch documents (Kibana alerts above all) and Zeek JSON logs spell nested fields
 * as flat dotted keys ("kibana.alert.rule.name", "id.orig_h"), while other producers of the
 * same formats nest them. Expanding first lets one schema, and one error path, serve both.
 * Objects are created without a prototype so a "__proto__" key is just data.
 */
export function expandDottedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(expandDottedKeys);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  mergeInto(out, value);
  return out;
}

/** Reads `a.b.c` from an already expanded value. */
export function getPath(value: unknown, path: string): unknown {
  let node = value;
  for (const part of path.split('.')) {
    if (!isPlainObject(node)) return undefined;
    node = node[part];
  }
  return node;
}
