import type { AlertTest } from './alert-test.ts';
import { parseCondition, type ConditionNode } from './condition-parser.ts';
import { allOf, anyOf, not } from './logic.ts';
import type { DocPath, ProblemSink } from './problems.ts';

// `x of them` and `x of <pattern>` leave out identifiers starting with `_`: the
// specification defines a pattern as "them" restricted to the matching names (so does pySigma).
const inThem = (name: string): boolean => !name.startsWith('_');

/** An `x of` pattern: `*` is any run of characters, everything else literal and case-sensitive. */
function patternMatcher(pattern: string): (name: string) => boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'))
    .join('.*');
  const regex = new RegExp(`^${source}$`, 's');
  return (name) => regex.test(name);
}

/**
 * Parses one condition and binds it to the compiled search identifiers. Reports every unknown
 * identifier and every `x of` pattern that names none, not just the first.
 */
export function compileCondition(text: string, path: DocPath, identifiers: ReadonlyMap<string, AlertTest>, sink: ProblemSink): AlertTest | undefined {
  const parsed = parseCondition(text);
  if (!parsed.ok) return void sink.add(path, `condition "${text}": ${parsed.error.message}`, parsed.error.feature);
  let ok = true;
  const report = (message: string): void => {
    sink.add(path, `condition "${text}": ${message}`);
    ok = false;
  };

  const bind = (node: ConditionNode): AlertTest => {
    switch (node.kind) {
      case 'or':
        return anyOf(node.items.map(bind));
      case 'and':
        return allOf(node.items.map(bind));
      case 'not':
        return not(bind(node.item));
      case 'ref': {
        const test = identifiers.get(node.name);
        if (test === undefined) report(`"${node.name}" is not a search identifier of this rule`);
        return test ?? (() => false);
      }
      case 'of': {
        const matches = node.pattern === undefined ? () => true : patternMatcher(node.pattern);
        const selects = (name: string) => inThem(name) && matches(name);
        const tests = [...identifiers].filter(([name]) => selects(name)).map(([, test]) => test);
        if (tests.length === 0) report(`"${node.pattern ?? 'them'}" names no search identifier`);
        return node.quantifier === 'one' ? anyOf(tests) : allOf(tests);
      }
    }
  };

  const test = bind(parsed.node);
  return ok ? test : undefined;
}
