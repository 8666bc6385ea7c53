import { CompiledQuery, sql, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs } from 'kysely';
import type { Database, Executor } from '../../src/platform/db/index.js';

/** Keeps each query's operation node, so that a test can compile and EXPLAIN what a store ran ({@link planOf}). */
export class KeepQueries implements KyselyPlugin {
  readonly nodes: PluginTransformQueryArgs['node'][] = [];
  transformQuery(args: PluginTransformQueryArgs) {
    this.nodes.push(args.node);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs) {
    return args.result;
  }
}

/**
 * The plan the database makes for a kept query, as text (SQLite's `explain query plan` details, PostgreSQL's
 * `explain` lines). PostgreSQL is told not to scan a table where it can avoid it, which it would for a test's
 * small table: the plan then says whether an index serves the query, not whether one is worth it yet.
 */
export async function planOf(db: Database, dialect: 'sqlite' | 'postgres', node: PluginTransformQueryArgs['node']): Promise<string> {
  const query = db.kysely.getExecutor().compileQuery(node, { queryId: 'explain' });
  return db.kysely.transaction().execute(async (trx: Executor) => {
    const postgres = dialect === 'postgres';
    if (postgres) await sql`set local enable_seqscan = off`.execute(trx);
    const { rows } = await trx.executeQuery<Record<string, string>>(
      CompiledQuery.raw((postgres ? 'explain ' : 'explain query plan ') + query.sql, [...query.parameters]),
    );
    return rows.map((line) => line.detail ?? line['QUERY PLAN'] ?? '').join('\n');
  });
}
