import { someAlertText } from '../fields/alert-text.ts';
import type { AlertTest } from './alert-test.ts';
import { allOf, anyOf } from './logic.ts';
import type { DocPath, ProblemSink } from './problems.ts';
import { parseSigmaString, wrapTokens } from './sigma-string.ts';
import { compilePattern, type StringTest } from './string-pattern.ts';

export interface KeywordOptions {
  readonly all: boolean;
  readonly cased: boolean;
}

/**
 * Keywords: values searched for anywhere in the alert's text (see `someAlertText`), as a
 * substring with the usual wildcards, so `mimikatz` finds `C:\tools\mimikatz.exe`. Listed
 * keywords are alternatives unless `|all` asks for every one.
 */
export function compileKeywords(values: readonly unknown[], path: DocPath, options: KeywordOptions, sink: ProblemSink): AlertTest | undefined {
  const tests: (StringTest | undefined)[] = values.map((value, index) => {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      return void sink.add(values.length === 1 ? path : [...path, index], `a keyword must be a string or a number, not ${value === null ? 'null' : typeof value}`);
    }
    return compilePattern(wrapTokens(parseSigmaString(String(value)), true, true), { caseSensitive: options.cased, windash: false });
  });
  if (!tests.every((test) => test !== undefined)) return undefined;
  if (tests.length === 0) return void sink.add(path, 'a keyword list must not be empty');
  if (!options.all) {
    // One pass over the alert's text, trying every keyword on each piece.
    const any = anyOf(tests);
    return (alert) => someAlertText(alert, any);
  }
  return allOf(tests.map((test): AlertTest => (alert) => someAlertText(alert, test)));
}
