import { isPlainObject, jsonTypeOf } from './value-type.ts';

/**
 * Record shapes for the format mappers: a nested description built once at start-up and
 * walked by plain loops. zod interpreted the same descriptions per record with a context
 * object, an issue list and a cloned output per level; on the gateway's hot path that was
 * 100+ µs and most of the garbage of each alert (see the commit introducing this file).
 * Only what the mappers use is here: objects (unknown keys dropped), arrays, literals,
 * enums, hand-written field checks, transforms and a whole-record refinement.
 */
export type Segment = string | number;

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string; readonly path?: readonly Segment[] };

export interface Shape<T> {
  readonly check: (value: unknown) => Outcome<T>;
  /** null and a missing key are accepted as they are (JSON producers write either). */
  nullish(): Shape<T | null | undefined>;
  transform<U>(map: (value: T) => U): Shape<U>;
}

export type Infer<S> = S extends Shape<infer T> ? T : never;

type ObjectOutput<D extends Record<string, Shape<unknown>>> = { [K in keyof D]: Infer<D[K]> };

function shape<T>(check: (value: unknown) => Outcome<T>): Shape<T> {
  return {
    check,
    nullish: () => shape<T | null | undefined>((value) => (value === undefined || value === null ? { ok: true, value } : check(value))),
    transform: <U>(map: (value: T) => U) =>
      shape<U>((value) => {
        const result = check(value);
        return result.ok ? { ok: true, value: map(result.value) } : result;
      }),
  };
}

const nouns: Readonly<Record<string, string>> = { object: 'an object', array: 'an array' };

/** The sentence a sensor author reads: "is required" for a missing key, else what was expected and what came. */
function wrongType(expected: string, value: unknown): Outcome<never> {
  if (value === undefined) return { ok: false, message: 'is required' };
  return { ok: false, message: `must be ${nouns[expected] ?? expected} (got ${jsonTypeOf(value)})` };
}

/** A failure one level down: its path gains the key or index it was found under. */
function nested(segment: Segment, failed: Outcome<unknown> & { ok: false }): Outcome<never> {
  return { ok: false, message: failed.message, path: [segment, ...(failed.path ?? [])] };
}

export function unknown(): Shape<unknown> {
  return shape<unknown>((value) => ({ ok: true, value }));
}

/** A hand-written check; it sees `undefined` for a missing key and decides what that means. */
export function field<T>(check: (value: unknown) => Outcome<T>): Shape<T> {
  return shape(check);
}

/** Only the listed keys are read (and kept); the first failing key, in listed order, is reported. */
export function object<D extends Record<string, Shape<unknown>>>(definition: D): Shape<ObjectOutput<D>> {
  const keys = Object.keys(definition);
  const checks = keys.map((key) => definition[key]!.check);
  return shape<ObjectOutput<D>>((value) => {
    if (!isPlainObject(value)) return wrongType('object', value);
    const out: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      // Own keys only: a record must not pick up Object.prototype's members by name.
      const result = checks[i]!(Object.hasOwn(value, key) ? value[key] : undefined);
      if (!result.ok) return nested(key, result);
      if (result.value !== undefined) out[key] = result.value;
    }
    return { ok: true, value: out as ObjectOutput<D> };
  });
}

export function array<T>(item: Shape<T>): Shape<T[]> {
  return shape<T[]>((value) => {
    if (!Array.isArray(value)) return wrongType('array', value);
    const out: T[] = new Array<T>(value.length);
    for (let i = 0; i < value.length; i++) {
      const result = item.check(value[i]);
      if (!result.ok) return nested(i, result);
      out[i] = result.value;
    }
    return { ok: true, value: out };
  });
}

export function literal<const T extends string | number>(expected: T): Shape<T> {
  return shape<T>((value) => (value === expected ? { ok: true, value: expected } : { ok: false, message: `must be ${JSON.stringify(expected)}` }));
}

export function oneOf<const T extends string>(options: readonly T[]): Shape<T> {
  const allowed = new Set<unknown>(options);
  const message = `must be one of ${options.map((o) => JSON.stringify(o)).join(', ')}`;
  return shape<T>((value) => (allowed.has(value) ? { ok: true, value: value as T } : value === undefined ? { ok: false, message: 'is required' } : { ok: false, message }));
}

/** A check over the whole parsed record (a rule found under one of several keys). */
export function refine<T>(base: Shape<T>, problem: (value: T) => { readonly path: readonly Segment[]; readonly message: string } | null): Shape<T> {
  return shape<T>((value) => {
    const result = base.check(value);
    if (!result.ok) return result;
    const found = problem(result.value);
    return found === null ? result : { ok: false, message: found.message, path: found.path };
  });
}
