import type { Alert } from '@vigil/contracts';
import type { Test } from './logic.ts';

/** A compiled piece of a detection: does this alert satisfy it? */
export type AlertTest = Test<Alert>;

export const isMap = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every part compiled (problems were reported for the rest): the whole is usable only then. */
export const allCompiled = <T>(parts: readonly (T | undefined)[]): parts is readonly T[] => parts.every((part) => part !== undefined);
