import { LineCounter, parseAllDocuments, isMap, isSeq, isPair, isScalar, type Node } from 'yaml';
import type { LineLocator, RuleProblem } from '../rule-problem.ts';

/** One YAML document of a rule file, with a way back to its source lines. */
export interface SourceDocument {
  /** 0-based position of the document in the file. */
  readonly index: number;
  /** 1-based line where the document starts. */
  readonly line: number;
  readonly value: unknown;
  /** The document's own text, so a rule is stored and exported as its author wrote it. */
  readonly source: string;
  readonly locate: LineLocator;
}

export interface ParsedFile {
  readonly documents: readonly SourceDocument[];
  /** YAML syntax errors; a document with an error is left out of `documents`. */
  readonly problems: readonly RuleProblem[];
}

/** Caps that keep one import from tying up a worker (anchors/aliases can explode). */
const MAX_DOCUMENTS = 1000;
const MAX_ALIAS_COUNT = 100;

/**
 * Parses a (multi-document) Sigma YAML file. Documents are independent: a syntax error
 * in one is reported with its line and the others still parse, so one typo does not hide
 * what else an import would do.
 */
export function parseDocuments(text: string): ParsedFile {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  const documents: SourceDocument[] = [];
  const problems: RuleProblem[] = [];
  list.slice(0, MAX_DOCUMENTS).forEach((doc, index) => {
    const start = doc.range[0];
    const line = lineCounter.linePos(start).line;
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        problems.push({ path: `document[${index}]`, line: lineCounter.linePos(err.pos[0]).line, message: `YAML syntax: ${err.message.split('\n')[0]}` });
      }
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      problems.push({ path: `document[${index}]`, line, message: `YAML: ${(err as Error).message}` });
      return;
    }
    if (value === null || value === undefined) return; // an empty document between `---` separators
    const contents = doc.contents as Node | null;
    documents.push({
      index,
      line,
      value,
      source: text.slice(start, doc.range[2]).replace(/^---[^\n]*\n/, '').trimEnd(),
      locate: (path) => locateNode(contents, path, lineCounter) ?? line,
    });
  });
  if (list.length > MAX_DOCUMENTS) problems.push({ path: `document[${MAX_DOCUMENTS}]`, message: `a rule file holds at most ${MAX_DOCUMENTS} documents` });
  return { documents, problems };
}

function locateNode(root: Node | null, path: readonly (string | number)[], lines: LineCounter): number | undefined {
  let node: unknown = root;
  let best: number | undefined;
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(step));
      if (!pair) break;
      const keyNode = pair.key as Node;
      if (keyNode.range) best = lines.linePos(keyNode.range[0]).line;
      node = pair.value;
    } else if (isSeq(node) && typeof step === 'number') {
      const item = node.items[step] as Node | undefined;
      if (!item) break;
      if (item.range) best = lines.linePos(item.range[0]).line;
      node = item;
    } else {
      break;
    }
  }
  return best;
}
