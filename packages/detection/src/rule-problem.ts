/**
 * Why a rule (or one part of it) cannot be used, said so its author can act: where
 * (`path` in the document, `line` in the YAML source when known), which Sigma feature
 * Vigil does not support (when that is the reason), and a sentence.
 */
export interface RuleProblem {
  /** Dotted path inside the rule document, e.g. `detection.selection.CommandLine|foo`. */
  readonly path: string;
  /** 1-based line in the YAML source, when the source is known. */
  readonly line?: number | undefined;
  /** The unsupported Sigma feature, e.g. `modifier windash`; absent for plain mistakes. */
  readonly feature?: string | undefined;
  readonly message: string;
}

/** Finds the 1-based source line of a path inside a parsed document (undefined if unknown). */
export type LineLocator = (path: readonly (string | number)[]) => number | undefined;

export const noLines: LineLocator = () => undefined;

export type Compiled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: readonly RuleProblem[] };

export const compiled = <T>(value: T): Compiled<T> => ({ ok: true, value });
export const rejected = <T>(problems: readonly RuleProblem[]): Compiled<T> => ({ ok: false, problems });
