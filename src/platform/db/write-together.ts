import { CompiledQuery, type Compilable } from 'kysely';
import type { DialectCapabilities } from './capabilities.js';
import type { Executor } from './database.js';

/** A statement for {@link writeTogether}: a query builder, or a statement compiled already. */
export type WriteStatement = Compilable | CompiledQuery;

/** Parameters per combined statement at most, under PostgreSQL's 65,535. */
const MAX_PARAMETERS = 30_000;

const PLACEHOLDER = /\$(\d+)/g;

/**
 * Runs writes that need nothing from one another — none reads what another writes, no two touch the same
 * row — in one round trip where a WITH clause may hold writes (PostgreSQL): `with w1 as (…), w2 as (…) …`,
 * each statement as written, its parameters renumbered. A transaction holding a lock every process waits
 * for (the inventory lock, issue 20) holds it one round trip per statement, each a turn of a busy event
 * loop. PostgreSQL checks foreign keys at the end of the one statement, so a row may refer to one another
 * statement of the group inserts. Elsewhere (SQLite, in process) the statements run one after the other, in
 * the order given: list a row before the rows that refer to it.
 *
 * Answers the rows the last statement returns (its RETURNING), as a statement run alone would. Statements must
 * spell `$n` only as parameters (ours do: values are always bound), and have no WITH clause of their own.
 */
export async function writeTogether<R = Record<string, unknown>>(
  executor: Executor,
  caps: DialectCapabilities,
  statements: readonly WriteStatement[],
): Promise<R[]> {
  const compiled = statements.map((s) => ('compile' in s ? s.compile() : s));
  let rows: unknown[] = [];
  if (!caps.writesInWith) {
    for (const statement of compiled) rows = (await executor.executeQuery(statement)).rows;
    return rows as R[];
  }
  let group: CompiledQuery[] = [];
  let parameters = 0;
  for (const statement of compiled) {
    if (group.length > 0 && parameters + statement.parameters.length > MAX_PARAMETERS) {
      await executor.executeQuery(combined(group));
      group = [];
      parameters = 0;
    }
    group.push(statement);
    parameters += statement.parameters.length;
  }
  if (group.length > 0) rows = (await executor.executeQuery(combined(group))).rows;
  return rows as R[];
}

/** One statement of several: all but the last as WITH clauses, their `$n` moved past the ones before. */
function combined(group: readonly CompiledQuery[]): CompiledQuery {
  if (group.length === 1) return group[0] as CompiledQuery;
  const parameters: unknown[] = [];
  const texts = group.map((statement) => {
    const offset = parameters.length;
    parameters.push(...statement.parameters);
    return offset === 0 ? statement.sql : statement.sql.replace(PLACEHOLDER, (_, n: string) => `$${Number(n) + offset}`);
  });
  const last = texts.pop() as string;
  return CompiledQuery.raw(`with ${texts.map((text, i) => `w${i} as (${text})`).join(', ')} ${last}`, parameters);
}
