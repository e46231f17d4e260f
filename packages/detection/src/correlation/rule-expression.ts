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
  /** Entries in the order the expression first names them (the rules when `rules:` is left out). */
  readonly names: readonly string[];
}

const operator = /^(and|or|not)$/i;

/** Parses the expression; the names are bound to `rules:` entries by `expressionCondition`. */
export function parseRuleExpression(text: string, problem: (message: string, feature?: string) => void): RuleExpression | null {
  const normalised = text.replace(/[^\s()]+/g, (token) => (operator.test(token) ? token.toLowerCase() : token));
  const parsed = parseCondition(normalised);
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
  return ok ? { text, names } : null;
}

/**
 * The condition as the engine tests it: on the set of `rules:` entries present in a window.
 * An expression with `not` can turn false when another alert arrives, so it is decided when
 * the window closes, as a count with an upper bound is.
 */
export function expressionCondition(expression: RuleExpression, rules: readonly string[]): CountCondition {
  const parsed = parseCondition(expression.text.replace(/[^\s()]+/g, (token) => (operator.test(token) ? token.toLowerCase() : token)));
  if (!parsed.ok) throw new Error(`expression was validated: ${expression.text}`);
  const evaluate = (node: ConditionNode, present: ReadonlySet<number>): boolean => {
    switch (node.kind) {
      case 'ref':
        return present.has(rules.indexOf(node.name));
      case 'not':
        return !evaluate(node.item, present);
      case 'and':
        return node.items.every((item) => evaluate(item, present));
      case 'or':
        return node.items.some((item) => evaluate(item, present));
      case 'of':
        return false;
    }
  };
  const negates = /(^|[\s(])not([\s(]|$)/i.test(expression.text);
  return Object.freeze({
    bounds: [],
    expression: expression.text,
    decidedAtClose: negates,
    test: (_value: number, window?: readonly WindowEvent[]) => evaluate(parsed.node, new Set((window ?? []).map((e) => e.r))),
  });
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
