import type { Alert } from '@vigil/contracts';
import { compiled, rejected, type Compiled, type LineLocator } from '../rule-problem.ts';
import { isMap, type AlertTest } from './alert-test.ts';
import { compileCondition } from './compile-condition.ts';
import { anyOf } from './logic.ts';
import { problemSink, type DocPath, type ProblemSink } from './problems.ts';
import { compileSearchIdentifier } from './search-identifier.ts';

export interface CompiledDetection {
  matches(alert: Alert): boolean;
}

/** Identifier test standing in for one that failed to compile, so the condition can still be checked. */
const failed: AlertTest = () => false;

/**
 * Compiles the value of a Sigma rule's `detection:` key, once, into a matcher. Every problem
 * found is returned together, each with its path and (through `locate`) its line, so an author
 * fixes a rule in one round instead of one error at a time.
 */
export function compileDetection(detection: unknown, locate: LineLocator, basePath: readonly (string | number)[] = ['detection']): Compiled<CompiledDetection> {
  const sink = problemSink(locate);
  if (!isMap(detection)) {
    sink.add(basePath, 'detection must be a map of search identifiers and a condition');
    return rejected(sink.problems);
  }

  const identifiers = new Map<string, AlertTest>();
  for (const [name, definition] of Object.entries(detection)) {
    if (name === 'condition') continue;
    if (name === 'timeframe') {
      sink.add([...basePath, name], '"timeframe" in detection is Sigma 1 aggregation syntax; use a correlation rule', 'detection timeframe');
      continue;
    }
    identifiers.set(name, compileSearchIdentifier(definition, [...basePath, name], sink) ?? failed);
  }

  const root = compileConditions(detection.condition, [...basePath, 'condition'], identifiers, sink);
  if (sink.problems.length > 0 || root === undefined) return rejected(sink.problems);
  return compiled({ matches: root });
}

/** `condition` is one expression or a list of them, OR-linked. */
function compileConditions(condition: unknown, path: DocPath, identifiers: ReadonlyMap<string, AlertTest>, sink: ProblemSink): AlertTest | undefined {
  if (condition === undefined) return void sink.add(path, 'detection has no condition');
  const list = Array.isArray(condition) ? condition : [condition];
  if (list.length === 0) return void sink.add(path, 'the condition list is empty');
  const tests = list.map((item, index) => {
    const itemPath = Array.isArray(condition) ? [...path, index] : path;
    if (typeof item !== 'string') return void sink.add(itemPath, 'a condition must be a string');
    return compileCondition(item, itemPath, identifiers, sink);
  });
  return tests.every((test) => test !== undefined) ? anyOf(tests) : undefined;
}
