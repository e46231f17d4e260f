export { compileDetection, type CompiledDetection } from './compile-detection.ts';
export { parseCondition, type ConditionNode, type ConditionError, type ParsedCondition } from './condition-parser.ts';
export { parseSigmaString, type SigmaToken } from './sigma-string.ts';
