import type { RuleProblem } from '../rule-problem.ts';
import { parseCondition, type ConditionNode } from '../sigma/index.ts';
import type { CountCondition } from './condition.ts';
import type { WindowEvent } from './window-state.ts';

/**
 * The extended condition of a temporal correlation (Sigma correlation v2.2, SEP #198, as
 * pySigma reads it): a boolean expression over its `rules:` entries, e.g.
 * `recon_a and (recon_b or recon_c) and not allowlisted`; each name holds when one of its
 * alerts is in the window. Operators are `and`, `or`, `not` and parentheses, in any case
 * (the specification's examples write `AND`).
 */
export interface RuleExpression {
  readonly text: string;
  readonly node: ConditionNode;
  /** Entries in the order the expression first names them (the rules when `rules:` is left out). */
  readonly names: readonly string[];
}

const operator = /^(and|or|not)$/i;

/** Parses the expression once; the names are bound to `rules:` entries by `expressionCondition`. */
export function parseRuleExpression(text: string, problem: (message: string, feature?: string) => void): RuleExpression | null {
  const parsed = parseCondition(text.replace(/[^\s()]+/g, (token) => (operator.test(token) ? token.toLowerCase() : token)));
  if (!parsed.ok) {
    problem(`condition "${text}": ${parsed.error.message}`);
    return null;
  }
  const names: string[] = [];
  let ok = true;
  const walk = (node: ConditionNode): void => {
    if (node.kind === 'ref') {
      if (!names.includes(node.name)) names.push(node.name);
    } else if (node.kind === 'of') {
      problem(`condition "${text}": "1 of" / "all of" belong to detection conditions; name the rules`, 'correlation condition of');
      ok = false;
    } else if (node.kind === 'not') walk(node.item);
    else node.items.forEach(walk);
  };
  walk(parsed.node);
  return ok ? { text, node: parsed.node, names } : null;
}

type RuleTest = (present: ReadonlySet<number>) => boolean;

/** The expression as a test on the `rules:` entries present, names bound to entry indices once. */
function bind(node: ConditionNode, rules: readonly string[]): RuleTest {
  switch (node.kind) {
    case 'ref': {
      const index = rules.indexOf(node.name);
      return (present) => present.has(index);
    }
    case 'not': {
      const item = bind(node.item, rules);
      return (present) => !item(present);
    }
    case 'and': {
      const items = node.items.map((item) => bind(item, rules));
      return (present) => items.every((item) => item(present));
    }
    case 'or': {
      const items = node.items.map((item) => bind(item, rules));
      return (present) => items.some((item) => item(present));
    }
    case 'of':
      return () => false;
  }
}

const negates = (node: ConditionNode): boolean =>
  node.kind === 'not' || ((node.kind === 'and' || node.kind === 'or') && node.items.some(negates));

/**
 * The condition as the engine tests it: on the set of `rules:` entries present in a window.
 * An expression with `not` can turn false when another alert arrives, so it is decided when
 * the window closes, as a count with an upper bound is.
 */
export function expressionCondition(expression: RuleExpression, rules: readonly string[]): CountCondition {
  const test = bind(expression.node, rules);
  return Object.freeze({
    bounds: [],
    expression: expression.text,
    decidedAtClose: negates(expression.node),
    test: (_value: number, window?: readonly WindowEvent[]) => test(new Set((window ?? []).map((e) => e.r))),
  });
}

/** `a and b and c` naming every rule, nothing else: what temporal_ordered asks for by default. */
export function asksForAll(expression: RuleExpression, rules: readonly string[]): boolean {
  const { node } = expression;
  const refs = node.kind === 'and' ? node.items : [node];
  return refs.every((item) => item.kind === 'ref') && rules.every((rule) => expression.names.includes(rule));
}

/** `rules:` and the expression must name the same entries (pySigma refuses either kind of stray). */
export function checkExpressionNames(expression: RuleExpression, rules: readonly string[]): Omit<RuleProblem, 'line'>[] {
  const unknown = expression.names.filter((name) => !rules.includes(name));
  const unused = rules.filter((rule) => !expression.names.includes(rule));
  return [
    ...(unknown.length > 0 ? [{ path: 'correlation.condition', message: `condition names ${unknown.map((n) => `"${n}"`).join(', ')}, which rules: does not list` }] : []),
    ...(unused.length > 0 ? [{ path: 'correlation.condition', message: `rules: lists ${unused.map((n) => `"${n}"`).join(', ')}, which the condition does not name` }] : []),
  ];
}
