import type { LineLocator, RuleProblem } from '../rule-problem.ts';

export type DocPath = readonly (string | number)[];

/** Collects every problem of a rule, so its author sees them all in one round. */
export interface ProblemSink {
  add(path: DocPath, message: string, feature?: string): void;
  readonly problems: readonly RuleProblem[];
}

export function problemSink(locate: LineLocator): ProblemSink {
  const problems: RuleProblem[] = [];
  return {
    add(path, message, feature) {
      problems.push({ path: path.join('.'), line: locate(path), ...(feature === undefined ? {} : { feature }), message });
    },
    problems,
  };
}
