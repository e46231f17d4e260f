import { allCompiled, isMap, type AlertTest } from './alert-test.ts';
import { compileFieldCondition } from './field-condition.ts';
import { compileKeywords } from './keywords.ts';
import { allOf, anyOf } from './logic.ts';
import type { DocPath, ProblemSink } from './problems.ts';

// null counts here so that a null keyword is reported as such rather than as a malformed list.
const isScalar = (value: unknown): boolean => value === null || typeof value !== 'object';

/**
 * A search identifier's definition: a map (all its items must hold), a list of maps (any one
 * must), or a list of keywords (any one must appear in the alert's text).
 */
export function compileSearchIdentifier(definition: unknown, path: DocPath, sink: ProblemSink): AlertTest | undefined {
  if (isMap(definition)) return compileMap(definition, path, sink);
  if (Array.isArray(definition)) {
    if (definition.length === 0) return void sink.add(path, 'a search identifier must not be an empty list');
    if (definition.every(isMap)) {
      const maps = definition.map((map, index) => compileMap(map, [...path, index], sink));
      return allCompiled(maps) ? anyOf(maps) : undefined;
    }
    if (definition.every(isScalar)) return compileKeywords(definition, path, { all: false, cased: false }, sink);
    return void sink.add(path, 'a search identifier list must hold either only maps (field conditions) or only keywords');
  }
  if (typeof definition === 'string' || typeof definition === 'number') return compileKeywords([definition], path, { all: false, cased: false }, sink);
  return void sink.add(path, 'a search identifier must be a map of field conditions, a list of them, or a list of keywords');
}

function compileMap(map: Record<string, unknown>, path: DocPath, sink: ProblemSink): AlertTest | undefined {
  const entries = Object.entries(map);
  if (entries.length === 0) return void sink.add(path, 'a field-condition map must not be empty');
  const tests = entries.map(([key, value]) => compileFieldCondition(key, value, [...path, key], sink));
  return allCompiled(tests) ? allOf(tests) : undefined;
}
