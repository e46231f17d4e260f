/**
 * Boolean combinators over compiled tests. Fixed arity rather than rest parameters, which would
 * allocate an arguments array on every call; the one- and two-operand cases are unrolled because
 * they are most of what rules contain.
 */
export type Test<A, B = void> = (a: A, b: B) => boolean;

export function anyOf<A, B = void>(tests: readonly Test<A, B>[]): Test<A, B> {
  const [first, second] = tests;
  if (first === undefined) return () => false;
  if (second === undefined) return first;
  if (tests.length === 2) return (a, b) => first(a, b) || second(a, b);
  return (a, b) => {
    for (const test of tests) if (test(a, b)) return true;
    return false;
  };
}

export function allOf<A, B = void>(tests: readonly Test<A, B>[]): Test<A, B> {
  const [first, second] = tests;
  if (first === undefined) return () => true;
  if (second === undefined) return first;
  if (tests.length === 2) return (a, b) => first(a, b) && second(a, b);
  return (a, b) => {
    for (const test of tests) if (!test(a, b)) return false;
    return true;
  };
}

export const not =
  <A, B = void>(test: Test<A, B>): Test<A, B> =>
  (a, b) =>
    !test(a, b);
