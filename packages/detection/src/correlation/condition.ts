import type { WindowEvent } from './window-state.ts';
import type { RuleProblem } from '../rule-problem.ts';

export const comparisonOperators = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'] as const;
export type ComparisonOperator = (typeof comparisonOperators)[number];

export interface Bound {
  readonly op: ComparisonOperator;
  readonly value: number;
}

/**
 * A correlation condition: every bound must hold (Sigma: several keys make a range).
 * `decidedAtClose`: the condition has an upper bound (`lt`, `lte`, `eq`, `neq`), so a
 * window that satisfies it now may stop satisfying it when more alerts arrive; it is
 * decided only once the window can no longer change (the watermark passed its end).
 */
export interface CountCondition {
  readonly bounds: readonly Bound[];
  /** A temporal correlation's extended condition over its rules (rule-expression.ts), instead of bounds. */
  readonly expression?: string;
  readonly decidedAtClose: boolean;
  /** `window`: the window's events, which an expression reads (bounds read only the value). */
  test(value: number, window?: readonly WindowEvent[]): boolean;
}

const compare: Readonly<Record<ComparisonOperator, (a: number, b: number) => boolean>> = {
  gt: (a, b) => a > b,
  gte: (a, b) => a >= b,
  lt: (a, b) => a < b,
  lte: (a, b) => a <= b,
  eq: (a, b) => a === b,
  neq: (a, b) => a !== b,
};

export function makeCondition(bounds: readonly Bound[]): CountCondition {
  return Object.freeze({
    bounds,
    decidedAtClose: bounds.some((b) => b.op !== 'gt' && b.op !== 'gte'),
    test: (value: number) => bounds.every((b) => compare[b.op](value, b.value)),
  });
}

/**
 * Reads the bounds of a `condition:` map, leaving `field` to the caller. Numbers only;
 * a range that can never hold (e.g. `gt: 10, lt: 5`) is a mistake worth reporting.
 */
export function parseBounds(raw: Record<string, unknown>, path: string, line: (key: string) => number | undefined): { bounds: Bound[]; problems: RuleProblem[] } {
  const bounds: Bound[] = [];
  const problems: RuleProblem[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'field') continue;
    if (!(comparisonOperators as readonly string[]).includes(key)) {
      problems.push({ path: `${path}.${key}`, line: line(key), feature: `condition operator ${key}`, message: `unknown condition operator "${key}"; use gt, gte, lt, lte, eq or neq` });
      continue;
    }
    const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isFinite(number)) {
      problems.push({ path: `${path}.${key}`, line: line(key), message: `condition ${key} needs a number, got ${JSON.stringify(value)}` });
      continue;
    }
    bounds.push({ op: key as ComparisonOperator, value: number });
  }
  if (bounds.length > 0 && problems.length === 0 && !satisfiable(bounds)) {
    problems.push({ path, line: line(''), message: `condition ${describeBounds(bounds)} can never hold` });
  }
  return { bounds, problems };
}

function satisfiable(bounds: readonly Bound[]): boolean {
  // Candidate values around every bound are enough to find a witness for a conjunction of
  // comparisons on reals.
  const candidates = bounds.flatMap((b) => [b.value - 1, b.value - 0.5, b.value, b.value + 0.5, b.value + 1]);
  const condition = makeCondition(bounds);
  return candidates.some((c) => condition.test(c));
}

export function describeCondition(condition: CountCondition): string {
  return condition.expression ?? describeBounds(condition.bounds);
}

export function describeBounds(bounds: readonly Bound[]): string {
  return bounds.map((b) => `${b.op} ${b.value}`).join(' and ');
}
