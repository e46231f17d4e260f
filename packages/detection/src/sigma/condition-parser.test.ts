import { describe, expect, it } from 'vitest';
import { parseCondition, type ConditionNode } from './condition-parser.ts';

/** The tree as a compact string, to compare shapes at a glance. */
const show = (node: ConditionNode): string => {
  switch (node.kind) {
    case 'ref':
      return node.name;
    case 'not':
      return `not(${show(node.item)})`;
    case 'of':
      return `${node.quantifier}(${node.pattern ?? 'them'})`;
    default:
      return `${node.kind}(${node.items.map(show).join(',')})`;
  }
};

describe('parseCondition', () => {
  it.each([
    ['a', 'a'],
    ['a or b and c', 'or(a,and(b,c))'],
    ['a and b or c', 'or(and(a,b),c)'],
    ['not a and b', 'and(not(a),b)'],
    ['not a or not b', 'or(not(a),not(b))'],
    ['a and (b or c)', 'and(a,or(b,c))'],
    ['a and b and c', 'and(a,b,c)'],
    ['1 of sel* and not 1 of filter*', 'and(one(sel*),not(one(filter*)))'],
    ['all of them', 'all(them)'],
    ['not all of them or x', 'or(not(all(them)),x)'],
    ['(1 of a*)', 'one(a*)'],
    ['sel_1.x-y', 'sel_1.x-y'],
    ['a   and\n\tb', 'and(a,b)'],
  ])('%s', (text, expected) => {
    const parsed = parseCondition(text);
    expect(parsed.ok && show(parsed.node)).toBe(expected);
  });

  it.each([
    ['a or', /found the end/],
    ['(a', /expected "\)"/],
    ['a)', /unexpected "\)"/],
    ['and a', /found "and"/],
    ['1 of', /after "of"/],
    ['1 of (a)', /after "of"/],
    ['a b', /unexpected "b"/],
    ['', /empty/],
    // pySigma's test_invalid_conditions: operators are lower case.
    ['detection1 and (detection2 OR detection3)', /"OR": condition operators are lower case; write "or"/],
    ['a AND NOT b', /"AND": condition operators are lower case/],
    ['ALL OF sel*', /"ALL": condition operators are lower case/],
  ])('%j fails', (text, message) => {
    const parsed = parseCondition(text);
    expect(parsed.ok ? '' : parsed.error.message).toMatch(message);
  });
});
