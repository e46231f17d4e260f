import type { LineLocator, RuleProblem } from '../rule-problem.ts';
import { describeBounds, makeCondition, parseBounds, type Bound } from './condition.ts';
import { correlationTypes, fieldTypes, numericTypes, type CorrelationSpec, type CorrelationType } from './correlation-spec.ts';
import { asksForAll, checkExpressionNames, expressionCondition, parseRuleExpression } from './rule-expression.ts';
import { MAX_TIMESPAN_MS, formatTimespan, parseTimespan } from './timespan.ts';

const MAX_RULES = 32;
const MAX_GROUP_BY = 8;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const stringList = (v: unknown): string[] | null => {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) return v.map(String);
  return null;
};

/**
 * Validates the `correlation:` section of one document. Every problem is collected (not
 * just the first), each with its path, line and, for Sigma features Vigil does not run,
 * the feature's name.
 */
export function compileCorrelation(section: unknown, locate: LineLocator): { spec: CorrelationSpec | null; problems: RuleProblem[] } {
  const base = ['correlation'];
  const at = (...path: (string | number)[]) => ({ path: [...base, ...path].join('.'), line: locate([...base, ...path]) });
  const problems: RuleProblem[] = [];
  if (!isRecord(section)) return { spec: null, problems: [{ ...at(), message: 'correlation must be a map with type, rules, group-by, timespan and condition' }] };

  const type = section.type;
  if (typeof type !== 'string' || !(correlationTypes as readonly string[]).includes(type)) {
    const known = correlationTypes.join(', ');
    problems.push(typeof type === 'string'
      ? { ...at('type'), feature: `correlation type ${type}`, message: `correlation type "${type}" is not supported; use one of ${known}` }
      : { ...at('type'), message: `correlation type is required (one of ${known})` });
  }
  const correlationType = type as CorrelationType;

  const temporal = correlationType === 'temporal' || correlationType === 'temporal_ordered';
  const expression = temporal && typeof section.condition === 'string' ? parseRuleExpression(section.condition, (message, feature) => problems.push({ ...at('condition'), message, feature })) : null;
  // With an extended condition, rules: may be left out: the expression names them (pySigma).
  const rules = section.rules === undefined && expression ? [...expression.names] : stringList(section.rules);
  if (!rules || rules.length === 0) problems.push({ ...at('rules'), message: 'rules must list at least one rule id or name' });
  else if (rules.length > MAX_RULES) problems.push({ ...at('rules'), message: `at most ${MAX_RULES} rules per correlation` });
  else if (new Set(rules).size !== rules.length) problems.push({ ...at('rules'), message: 'rules lists the same rule twice' });

  // Sigma requires group-by; a missing one is read as "the whole tenant is one group", as
  // peers do, since an explicit empty scope is what such a rule means.
  const groupBy = section['group-by'] === undefined ? [] : stringList(section['group-by']);
  if (!groupBy) problems.push({ ...at('group-by'), message: 'group-by must be a list of field names' });
  else if (groupBy.length > MAX_GROUP_BY) problems.push({ ...at('group-by'), message: `at most ${MAX_GROUP_BY} group-by fields` });

  const timespanRaw = section.timespan ?? section.timeframe;
  const timespanMs = parseTimespan(timespanRaw);
  if (timespanMs === null) problems.push({ ...at(section.timespan === undefined && section.timeframe !== undefined ? 'timeframe' : 'timespan'), message: `timespan must be a number and a unit s, m, h or d (e.g. 5m), got ${JSON.stringify(timespanRaw ?? null)}` });
  else if (timespanMs > MAX_TIMESPAN_MS) problems.push({ ...at('timespan'), message: `timespan is at most ${formatTimespan(MAX_TIMESPAN_MS)}` });

  const aliases = readAliases(section.aliases, at, problems);
  const { bounds, field } = typeof section.condition === 'string' && temporal ? { bounds: [], field: null } : readCondition(section.condition, correlationType, rules?.length ?? 0, at, locate, problems);
  if (expression && rules) for (const problem of checkExpressionNames(expression, rules)) problems.push({ ...problem, line: at('condition').line });
  // temporal_ordered asks for its rules in list order; which order a boolean expression asks
  // for is not specified, so only the expression that means the default (all of them) is taken.
  if (expression && correlationType === 'temporal_ordered' && !asksForAll(expression, rules ?? [])) {
    problems.push({ ...at('condition'), feature: 'extended condition on temporal_ordered', message: 'on temporal_ordered, a condition expression can only ask for all its rules (a and b and c, in list order); for other combinations use type temporal' });
  }

  if (section.generate !== undefined && typeof section.generate !== 'boolean') problems.push({ ...at('generate'), message: 'generate must be true or false' });
  for (const key of Object.keys(section)) {
    if (!['type', 'rules', 'group-by', 'timespan', 'timeframe', 'condition', 'aliases', 'generate'].includes(key)) {
      problems.push({ ...at(key), feature: `correlation attribute ${key}`, message: `unknown correlation attribute "${key}"` });
    }
  }
  if (problems.length > 0) return { spec: null, problems };
  return {
    spec: Object.freeze({
      type: correlationType,
      rules: rules!,
      groupBy: groupBy!,
      aliases,
      timespanMs: timespanMs!,
      condition: expression && correlationType === 'temporal' ? expressionCondition(expression, rules!) : makeCondition(expression ? [{ op: 'gte', value: rules!.length }] : bounds),
      field,
      generate: section.generate === true,
    }),
    problems,
  };
}

type At = (...path: (string | number)[]) => { path: string; line: number | undefined };

function readAliases(raw: unknown, at: At, problems: RuleProblem[]): Record<string, Record<string, string>> {
  if (raw === undefined || raw === null) return {};
  if (!isRecord(raw)) {
    problems.push({ ...at('aliases'), message: 'aliases must map an alias to {rule name: field}' });
    return {};
  }
  const out: Record<string, Record<string, string>> = {};
  for (const [alias, mapping] of Object.entries(raw)) {
    if (!isRecord(mapping) || !Object.values(mapping).every((f) => typeof f === 'string')) {
      problems.push({ ...at('aliases', alias), message: `alias ${alias} must map referenced rule names to field names` });
      continue;
    }
    out[alias] = mapping as Record<string, string>;
  }
  return out;
}

function readCondition(raw: unknown, type: CorrelationType, ruleCount: number, at: At, locate: LineLocator, problems: RuleProblem[]): { bounds: Bound[]; field: string[] | null } {
  const needsField = fieldTypes.has(type);
  const temporal = type === 'temporal' || type === 'temporal_ordered';
  if (raw === undefined || raw === null) {
    // Temporal types may leave the condition out: every referenced rule must appear.
    if (temporal) return { bounds: [{ op: 'gte', value: ruleCount }], field: null };
    problems.push({ ...at('condition'), message: 'condition is required, e.g. condition: {gte: 10}' });
    return { bounds: [], field: null };
  }
  if (!isRecord(raw)) {
    problems.push({ ...at('condition'), message: `condition must be a map such as {gte: 10} or {gt: 100, lte: 200}${typeof raw === 'string' ? ' (an expression over the rules, such as "a and b", is for temporal types)' : ''}` });
    return { bounds: [], field: null };
  }
  const parsed = parseBounds(raw, 'correlation.condition', (key) => locate(key ? ['correlation', 'condition', key] : ['correlation', 'condition']));
  problems.push(...parsed.problems);
  if (parsed.bounds.length === 0 && parsed.problems.length === 0) problems.push({ ...at('condition'), message: 'condition needs at least one of gt, gte, lt, lte, eq, neq' });

  let field: string[] | null = null;
  if (raw.field !== undefined) {
    field = stringList(raw.field);
    if (!field || field.length === 0) problems.push({ ...at('condition', 'field'), message: 'field must be a field name (or, for value_count, a list of them)' });
    else if (!needsField) problems.push({ ...at('condition', 'field'), message: `${type} takes no field; only value_count, value_sum, value_avg, value_median, value_min and value_max do` });
    else if (field.length > 1 && numericTypes.has(type)) problems.push({ ...at('condition', 'field'), message: `${type} aggregates exactly one numeric field` });
  } else if (needsField) {
    problems.push({ ...at('condition'), message: `${type} needs condition.field, the field whose values it aggregates` });
  }
  if (parsed.problems.length === 0 && countingTypes.has(type) && !holdsForSomeCount(parsed.bounds, temporal ? ruleCount : Infinity)) {
    const range = temporal ? `between 1 and the ${ruleCount} rules listed` : 'a whole number, at least 1 (a group exists once an alert is in it)';
    problems.push({ ...at('condition'), message: `${type} counts ${temporal ? 'distinct referenced rules' : 'alerts or distinct values'}, ${range}; condition ${describeBounds(parsed.bounds)} can never hold for such a count` });
  }
  return { bounds: parsed.bounds, field };
}

/** Types whose value is a count of a window's alerts, values or rules: a whole number of at least 1. */
const countingTypes: ReadonlySet<CorrelationType> = new Set(['event_count', 'value_count', 'temporal', 'temporal_ordered']);

/** Whether some whole count in [1, max] satisfies every bound: trying the integers around each bound is enough. */
function holdsForSomeCount(bounds: readonly Bound[], max: number): boolean {
  const condition = makeCondition(bounds);
  const candidates = [1, ...bounds.flatMap((b) => [Math.floor(b.value) - 1, Math.floor(b.value), Math.floor(b.value) + 1, Math.ceil(b.value) + 1])];
  return candidates.some((n) => n >= 1 && n <= max && condition.test(n));
}

