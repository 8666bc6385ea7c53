import type { Compilable, CompiledQuery } from 'kysely';
import type { Database, Executor } from './database.js';

const SLOT = '\u0000clearinghouse-slot-';

/**
 * A query built and compiled once per database, then run with fresh parameters: for the few queries on
 * every request's path (authentication), where building and compiling with Kysely costs more than SQLite
 * takes to answer. `build` receives placeholder values in place of the parameters; each must reach the
 * compiled query as a bound parameter, unchanged (pass them to `where(…, '=', value)` and the like).
 */
export function reusableQuery<P extends readonly unknown[], R>(
  build: (executor: Executor, ...params: { [K in keyof P]: string }) => Compilable<R>,
) {
  const compiled = new WeakMap<Database, { query: CompiledQuery<R>; slots: number[] }>();
  return async (db: Database, ...params: P): Promise<R[]> => {
    let entry = compiled.get(db);
    if (entry === undefined) {
      const markers = params.map((_, i) => `${SLOT}${i}`) as { [K in keyof P]: string };
      const query = build(db.kysely, ...markers).compile();
      const slots = query.parameters.map((p) => (typeof p === 'string' && p.startsWith(SLOT) ? Number(p.slice(SLOT.length)) : -1));
      if (slots.filter((s) => s >= 0).length !== params.length)
        throw new Error('reusableQuery: every parameter must be bound exactly once');
      entry = { query, slots };
      compiled.set(db, entry);
    }
    const { query, slots } = entry;
    const parameters = query.parameters.map((p, i) => (slots[i]! >= 0 ? params[slots[i]!] : p));
    const result = await db.kysely.executeQuery<R>({ ...query, parameters });
    return result.rows;
  };
}
