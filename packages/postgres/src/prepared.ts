import type pg from 'pg';

/** A hot statement: call it with its parameters to get what `client.query` takes. */
export type PreparedStatement = (values: readonly unknown[]) => pg.QueryConfig<unknown[]>;

const textsByName = new Map<string, string>();

/**
 * A statement run on every slice, named so that each connection parses and plans it once
 * and then only binds and executes it. An unnamed statement is parsed and planned again on
 * every call: for correlate's slices of ten that was ~18% of PostgreSQL's CPU
 * (`experiments/correlate-handler.ts 3000 10`: 1.02 → 0.83 ms per alert).
 *
 * PostgreSQL keeps named statements per connection, so one name must always mean one text;
 * a second text under a taken name is a programming error, thrown when the module loads.
 * Behind a pooler in transaction mode this needs PgBouncer ≥ 1.21 with
 * `max_prepared_statements` set (docs/operations.md).
 */
export function prepared(name: string, text: string): PreparedStatement {
  const taken = textsByName.get(name);
  if (taken !== undefined && taken !== text) throw new Error(`prepared statement name ${name} is already used for another statement`);
  textsByName.set(name, text);
  return (values) => ({ name, text, values: [...values] });
}
