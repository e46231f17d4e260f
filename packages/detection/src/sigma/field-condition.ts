import { fieldAccessor } from '../fields/field-lookup.ts';
import { allCompiled, type AlertTest } from './alert-test.ts';
import { compileKeywords } from './keywords.ts';
import { allOf, anyOf } from './logic.ts';
import { parseModifiers, type Modifiers } from './modifiers.ts';
import type { DocPath, ProblemSink } from './problems.ts';
import { compileValue, type ValueTest } from './value-test.ts';

/**
 * One `Field|modifiers: value(s)` item of a search identifier. A list of values is OR-linked
 * (AND with `all`); `neq` asks for a present field that differs from every value. A key with
 * no field name (`'|all':`) is a keyword search.
 */
export function compileFieldCondition(key: string, value: unknown, path: DocPath, sink: ProblemSink): AlertTest | undefined {
  const modifiers = parseModifiers(key, (message, feature) => sink.add(path, message, feature));
  if (modifiers === undefined) return undefined;
  const values = Array.isArray(value) ? value : [value];
  // The modifiers appendix: "Single item values are not allowed to have an `all` modifier".
  if (modifiers.all && values.length === 1) return void sink.add(path, '"all" needs a list of two or more values; with one value, drop "all"');
  if (modifiers.field === '') return fieldlessKeywords(values, modifiers, path, sink);
  if (values.length === 0) return void sink.add(path, 'a value list must not be empty');
  if (modifiers.kind === 'exists' && Array.isArray(value)) return void sink.add(path, '"exists" takes a single true or false');

  const tests = values.map((item, index) => {
    const itemPath = Array.isArray(value) ? [...path, index] : path;
    return compileValue(item, modifiers, (message, feature) => sink.add(itemPath, message, feature));
  });
  if (!allCompiled(tests)) return undefined;
  const get = fieldAccessor(modifiers.field);
  const test = combine(tests, modifiers);
  return (alert) => test(get(alert), alert);
}

function combine(tests: readonly ValueTest[], modifiers: Modifiers): ValueTest {
  if (modifiers.neq) {
    const equalsAny = anyOf(tests);
    return (value, alert) => value !== undefined && !equalsAny(value, alert);
  }
  return modifiers.all ? allOf(tests) : anyOf(tests);
}

function fieldlessKeywords(values: readonly unknown[], modifiers: Modifiers, path: DocPath, sink: ProblemSink): AlertTest | undefined {
  // Keywords already search as substrings; other modifiers have no agreed meaning without a field.
  const plain = modifiers.kind === 'plain' && (modifiers.match === 'equals' || modifiers.match === 'contains');
  if (!plain || modifiers.windash || modifiers.encoding !== undefined || modifiers.neq) {
    return void sink.add(path, 'keywords (a key without a field name) take only the modifiers "all", "cased" and "contains"', 'keyword modifiers');
  }
  return compileKeywords(values, path, modifiers, sink);
}
