import type { Alert } from '@vigil/contracts';
import { sampleAlert } from '@vigil/contracts/testing';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { Compiled, LineLocator } from '../src/rule-problem.ts';
import { compileDetection, type CompiledDetection } from '../src/sigma/compile-detection.ts';

/** Compiles the `detection:` of a YAML rule text, with real line numbers, as the rule loader will. */
export function compileYamlDetection(source: string): Compiled<CompiledDetection> {
  const lineCounter = new LineCounter();
  const document = parseDocument(source, { lineCounter });
  const locate: LineLocator = (path) => {
    const node = document.getIn(path, true);
    return isNode(node) && node.range ? lineCounter.linePos(node.range[0]).line : undefined;
  };
  return compileDetection((document.toJS() as { detection?: unknown }).detection, locate);
}

/** A detection that must compile; the test fails with its problems otherwise. */
export function mustCompile(detection: unknown): CompiledDetection {
  const result = compileDetection(detection, () => undefined);
  if (!result.ok) throw new Error(`expected the detection to compile: ${JSON.stringify(result.problems)}`);
  return result.value;
}

/** `selection: { [key]: value }` with `condition: selection`, the shape of most single-item tests. */
export const matchesItem = (key: string, value: unknown, alert: Partial<Alert>): boolean =>
  mustCompile({ selection: { [key]: value }, condition: 'selection' }).matches(sampleAlert(alert));

export const labelled = (labels: Record<string, string>, rest: Partial<Alert> = {}): Partial<Alert> => ({ ...rest, labels });
