import type { FieldValue } from '../fields/field-lookup.ts';
import type { Comparison } from './modifiers.ts';

// Decimal notation only: Number() would also accept '', ' ', '0x1f' and 'Infinity', none of
// which a sensor means as a number.
const decimal = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A field value as a number: numbers as they are, decimal strings parsed, anything else undefined. */
export function numericValue(value: FieldValue): number | undefined {
  if (typeof value === 'number') return value;
  return decimal.test(value) ? Number(value) : undefined;
}

export function compareTest(comparison: Comparison, bound: number): (value: FieldValue) => boolean {
  switch (comparison) {
    case 'gt':
      return (value) => (numericValue(value) ?? Number.NaN) > bound;
    case 'gte':
      return (value) => (numericValue(value) ?? Number.NaN) >= bound;
    case 'lt':
      return (value) => (numericValue(value) ?? Number.NaN) < bound;
    case 'lte':
      return (value) => (numericValue(value) ?? Number.NaN) <= bound;
  }
}
