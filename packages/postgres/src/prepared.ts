import type pg from 'pg';

/** A hot statement: call it with its parameters to get what `client.query` takes. */
export type PreparedStatement = (values: readonly unknown[]) => pg.QueryConfig<unknown[]>;

const textsByName = new Map<string, string>();

/**
 * A statement run on every slice, named so that each connection parses it once and then
 * only binds and executes it (PostgreSQL also keeps a generic plan where it costs no more
 * than a fresh one). Unnamed, every call is parsed and planned again: for correlate's slices
 * of ten, planning went from ~0.9 to ~0.3 ms per slice (pg_stat_statements).
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
