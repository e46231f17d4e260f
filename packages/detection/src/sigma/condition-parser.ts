/**
 * The `condition` expression, parsed into a tree. Grammar (specification, "Condition"):
 *
 *   or    := and ('or' and)*
 *   and   := not ('and' not)*
 *   not   := 'not' not | atom
 *   atom  := '(' or ')' | ('1' | 'all') 'of' ('them' | pattern) | identifier
 *
 * so `not` binds tighter than `and`, which binds tighter than `or`. Operator words are
 * case-insensitive. Aggregations after `|` (Sigma 1's `count() by ...`) are reported as an
 * unsupported feature: Sigma 2 moved them to correlation rules.
 */
export type ConditionNode =
  | { readonly kind: 'or' | 'and'; readonly items: readonly ConditionNode[] }
  | { readonly kind: 'not'; readonly item: ConditionNode }
  | { readonly kind: 'ref'; readonly name: string }
  /** `pattern` undefined means `them`. */
  | { readonly kind: 'of'; readonly quantifier: 'one' | 'all'; readonly pattern: string | undefined };

export interface ConditionError {
  readonly message: string;
  readonly feature?: string;
}

export type ParsedCondition = { readonly ok: true; readonly node: ConditionNode } | { readonly ok: false; readonly error: ConditionError };

const tokenPattern = /\(|\)|\||[^\s()|]+/g;
const operatorWords: ReadonlySet<string> = new Set(['and', 'or', 'not', 'of', 'them']);

class ConditionSyntaxError extends Error {
  constructor(
    message: string,
    readonly feature?: string,
  ) {
    super(message);
  }
}

export function parseCondition(text: string): ParsedCondition {
  const tokens: readonly string[] = text.match(tokenPattern) ?? [];
  let position = 0;
  const peek = (): string | undefined => tokens[position];
  // Operators are lower case, as in the specification's grammar and pySigma (`OR` is no operator there).
  const word = (): string | undefined => peek();
  const fail = (message: string, feature?: string): never => {
    throw new ConditionSyntaxError(message, feature);
  };
  const describe = (token: string | undefined): string => (token === undefined ? 'the end of the condition' : `"${token}"`);

  const parseOr = (): ConditionNode => {
    const items = [parseAnd()];
    while (word() === 'or') {
      position++;
      items.push(parseAnd());
    }
    return items.length === 1 ? (items[0] as ConditionNode) : { kind: 'or', items };
  };
  const parseAnd = (): ConditionNode => {
    const items = [parseNot()];
    while (word() === 'and') {
      position++;
      items.push(parseNot());
    }
    return items.length === 1 ? (items[0] as ConditionNode) : { kind: 'and', items };
  };
  const parseNot = (): ConditionNode => {
    if (word() !== 'not') return parseAtom();
    position++;
    return { kind: 'not', item: parseNot() };
  };
  const parseAtom = (): ConditionNode => {
    const token = peek();
    const lower = word();
    if (token === '(') {
      position++;
      const inner = parseOr();
      if (peek() !== ')') fail(`expected ")" but found ${describe(peek())}`);
      position++;
      return inner;
    }
    if (tokens[position + 1] === 'of') return parseOf(token as string);
    if (token === undefined || token === ')' || token === '|' || operatorWords.has(lower as string)) return fail(`expected a search identifier but found ${describe(token)}`);
    position++;
    return { kind: 'ref', name: token };
  };
  const parseOf = (quantifierToken: string): ConditionNode => {
    const quantifier = quantifierToken;
    if (quantifier.toLowerCase() === 'any') fail('"any of" is not in the Sigma specification; write "1 of"', 'condition any of');
    if (quantifier !== '1' && quantifier !== 'all') fail(`"${quantifierToken} of" is not supported; Sigma has "1 of" and "all of"`, `condition ${quantifierToken} of`);
    position += 2;
    const target = peek();
    if (target === undefined || target === '(' || target === ')' || target === '|' || (operatorWords.has(target) && target !== 'them')) {
      return fail(`expected "them" or a search-identifier pattern after "of" but found ${describe(target)}`);
    }
    position++;
    return { kind: 'of', quantifier: quantifier === '1' ? 'one' : 'all', pattern: target === 'them' ? undefined : target };
  };

  try {
    if (tokens.length === 0) fail('the condition is empty');
    if (tokens.includes('|')) fail('aggregations in the condition ("| count() ...") are Sigma 1 syntax; use a correlation rule', 'condition aggregation');
    if (tokens.some((token) => token.toLowerCase() === 'near')) fail('"near" is a deprecated Sigma 1 aggregation; use a temporal correlation rule', 'condition near');
    const shouting = tokens.find((token) => token !== token.toLowerCase() && (operatorWords.has(token.toLowerCase()) || token.toLowerCase() === 'all'));
    if (shouting !== undefined) fail(`"${shouting}": condition operators are lower case; write "${shouting.toLowerCase()}"`);
    const node = parseOr();
    if (position < tokens.length) fail(`unexpected ${describe(peek())}`);
    return { ok: true, node };
  } catch (error) {
    if (!(error instanceof ConditionSyntaxError)) throw error;
    return { ok: false, error: error.feature === undefined ? { message: error.message } : { message: error.message, feature: error.feature } };
  }
}
