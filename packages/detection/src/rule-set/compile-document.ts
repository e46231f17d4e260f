import type { Severity } from '@vigil/contracts';
import { compileCorrelation } from '../correlation/compile-correlation.ts';
import type { RuleProblem } from '../rule-problem.ts';
import { compileDetection } from '../sigma/index.ts';
import type { SourceDocument } from './parse-documents.ts';
import type { RuleDocument, RuleMeta } from './rule-document.ts';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const MAX_TITLE = 256;
const MAX_KEY = 128;

/** Sigma levels to Vigil severities. */
const levels: Readonly<Record<string, Severity>> = { informational: 'info', low: 'low', medium: 'medium', high: 'high', critical: 'critical' };

export type CompiledDocument = { readonly ok: true; readonly rule: RuleDocument } | { readonly ok: false; readonly key: string | null; readonly title: string | null; readonly problems: readonly RuleProblem[] };

/** A rule's key from its id, name or title: what references, versions and incidents use. */
export function ruleKeyOf(doc: { id?: unknown; name?: unknown; title?: unknown }): string | null {
  for (const candidate of [doc.id, doc.name]) {
    if ((typeof candidate === 'string' && candidate.trim() !== '') || typeof candidate === 'number') return String(candidate).trim().slice(0, MAX_KEY);
  }
  if (typeof doc.title === 'string' && doc.title.trim() !== '') {
    const slug = doc.title.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
    return slug ? slug.slice(0, MAX_KEY) : null;
  }
  return null;
}

/** One Sigma document to a rule (detection or correlation), or everything wrong with it. */
export function compileDocument(source: SourceDocument): CompiledDocument {
  const doc = source.value;
  const where = (...path: (string | number)[]) => ({ path: path.join('.') || `document[${source.index}]`, line: source.locate(path) });
  if (!isRecord(doc)) return { ok: false, key: null, title: null, problems: [{ ...where(), message: 'a Sigma rule is a YAML map with title and detection or correlation' }] };
  const key = ruleKeyOf(doc);
  const title = typeof doc.title === 'string' ? doc.title : null;
  const problems: RuleProblem[] = [];
  const fail = () => ({ ok: false as const, key, title, problems });

  if (title === null || title.trim() === '') problems.push({ ...where('title'), message: 'title is required' });
  else if (title.length > MAX_TITLE) problems.push({ ...where('title'), message: `title is at most ${MAX_TITLE} characters` });
  if (doc.id !== undefined && typeof doc.id !== 'string') problems.push({ ...where('id'), message: 'id must be a string (a UUID is recommended)' });
  if (doc.name !== undefined && typeof doc.name !== 'string') problems.push({ ...where('name'), message: 'name must be a string' });
  if (key === null && title !== null) problems.push({ ...where('title'), message: 'the rule needs an id, a name, or a title with letters or digits' });
  let level: Severity | null = null;
  if (doc.level !== undefined) {
    level = typeof doc.level === 'string' ? (levels[doc.level.toLowerCase()] ?? null) : null;
    if (level === null) problems.push({ ...where('level'), message: `level must be one of ${Object.keys(levels).join(', ')}` });
  }
  const tags = doc.tags === undefined ? [] : Array.isArray(doc.tags) && doc.tags.every((t) => typeof t === 'string') ? (doc.tags as string[]) : null;
  if (tags === null) problems.push({ ...where('tags'), message: 'tags must be a list of strings such as attack.t1110' });
  const logsource = readLogsource(doc.logsource, where, problems);

  const meta = (): RuleMeta => ({
    key: key!,
    id: typeof doc.id === 'string' ? doc.id : null,
    name: typeof doc.name === 'string' ? doc.name : null,
    title: title!,
    description: typeof doc.description === 'string' ? doc.description : null,
    status: typeof doc.status === 'string' ? doc.status : null,
    level,
    tags: tags ?? [],
    logsource,
  });

  const hasCorrelation = doc.correlation !== undefined;
  const hasDetection = doc.detection !== undefined;
  if (doc.filter !== undefined && !hasDetection) {
    problems.push({ ...where('filter'), feature: 'Sigma filter rule', message: 'Sigma filter (meta) rules are not supported; put the exclusion into the detection rule' });
    return fail();
  }
  if (hasCorrelation === hasDetection) {
    problems.push({ ...where(), message: hasCorrelation ? 'a document holds either detection or correlation, not both' : 'the document has neither detection nor correlation' });
    return fail();
  }
  if (hasCorrelation) {
    const result = compileCorrelation(doc.correlation, source.locate);
    problems.push(...result.problems);
    const generate = rootGenerate(doc, result.spec?.generate, where, problems);
    if (problems.length > 0 || !result.spec) return fail();
    return { ok: true, rule: { ...meta(), kind: 'correlation', correlation: generate === result.spec.generate ? result.spec : Object.freeze({ ...result.spec, generate }) } };
  }
  const detection = compileDetection(doc.detection, source.locate, ['detection']);
  if (!detection.ok) problems.push(...detection.problems);
  if (problems.length > 0 || !detection.ok) return fail();
  return { ok: true, rule: { ...meta(), kind: 'detection', detection: detection.value } };
}

function readLogsource(raw: unknown, where: (...p: string[]) => { path: string; line: number | undefined }, problems: RuleProblem[]): Record<string, string> | null {
  if (raw === undefined || raw === null) return null;
  if (!isRecord(raw)) {
    problems.push({ ...where('logsource'), message: 'logsource must be a map (product, service, category)' });
    return null;
  }
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)]));
}

/**
 * `generate` sits at the document's root in the specification's schema and inside
 * `correlation:` in pySigma: both are read, and two that disagree are a mistake.
 */
function rootGenerate(doc: Record<string, unknown>, inSection: boolean | undefined, where: (...p: string[]) => { path: string; line: number | undefined }, problems: RuleProblem[]): boolean {
  const root = doc.generate;
  if (root === undefined) return inSection ?? false;
  if (typeof root !== 'boolean') {
    problems.push({ ...where('generate'), message: 'generate must be true or false' });
    return false;
  }
  const section = (doc.correlation as Record<string, unknown> | undefined)?.generate;
  if (typeof section === 'boolean' && section !== root) problems.push({ ...where('generate'), message: 'generate is given twice, at the top and in correlation, with different values' });
  return root;
}
