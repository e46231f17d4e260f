import { checkText } from './fields.ts';
import { isPlainObject } from './value-type.ts';

/**
 * All strings found at `path` below `value`, with Elasticsearch semantics: an array at any
 * level fans out. So `technique.id` reads ECS's flat `{ technique: { id: ["T1059"] } }` and
 * Kibana's nested `[{ technique: [{ id: "T1059" }] }]` alike.
 * Used only for enrichment (MITRE ids, tactic names): entries that are not usable strings
 * are skipped instead of failing an otherwise valid alert.
 */
export function collectStrings(value: unknown, path: string): string[] {
  const out: string[] = [];
  const walk = (node: unknown, parts: readonly string[]): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item, parts);
      return;
    }
    const [head, ...rest] = parts;
    if (head === undefined) {
      const text = checkText(node);
      if (text.ok && text.value !== null) out.push(text.value);
      return;
    }
    if (isPlainObject(node)) walk(node[head], rest);
  };
  walk(value, path.split('.'));
  return out;
}
