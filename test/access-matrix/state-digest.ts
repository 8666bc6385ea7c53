import { sql, type Kysely } from 'kysely';

/**
 * What a refused write must leave as it was: the rows of every table, and the audit chain head. `read()`
 * answers one string per table (and {@link AUDIT_CHAIN_HEAD}); a table whose string differs between two reads changed.
 */
export interface StateDigest {
  /** Every table of the database, sorted. */
  readonly tables: readonly string[];
  /** The digest as `on` (a transaction of the test's own) sees it; by default as committed. */
  read(on?: Kysely<unknown>): Promise<Map<string, string>>;
}

/** The digest's entry for the audit chain's head (apart from the table audit_head's rows, an entry of their own). */
export const AUDIT_CHAIN_HEAD = 'audit chain head';

/** The name of the log of row changes on PostgreSQL (see {@link watchState}); not one of the tables watched. */
export const CHANGE_LOG = 'access_matrix_change';

/**
 * The digest of `db` from now on: triggers on every table log the rows each write inserted and deleted in
 * {@link CHANGE_LOG}, in the transaction that made the change (a committed change is logged, one rolled
 * back is not), and a digest sums the log per table.
 *
 * It replaced each table's row count (plus the audit head), read in one statement of ~150 counts: ~61 ms
 * a digest on PostgreSQL, taken ~2,100 times a run, against one read of a short log now. It also tells
 * more: a row deleted and another inserted in the same table leave the count as it was. The log is only
 * inserted into, so concurrent writers never wait on each other for it. PostgreSQL logs per statement,
 * from the statement's transition tables (and TRUNCATE); SQLite, whose triggers are per row, per row.
 * The triggers fire also with `session_replication_role = replica` (`enable always`).
 */
export async function watchState(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres'): Promise<StateDigest> {
  const tables = await allTables(db, dialect);
  await sql`create table ${sql.table(CHANGE_LOG)} (t text not null, inserted bigint not null, deleted bigint not null, truncated int not null)`.execute(
    db,
  );
  const log = `"${CHANGE_LOG}"`;
  if (dialect === 'postgres') {
    for (const [event, rows] of [
      ['inserted', 'count(*), 0, 0 from new_rows'],
      ['deleted', '0, count(*), 0 from old_rows'],
      ['truncated', '0, 0, 1'],
    ] as const) {
      const source = event === 'truncated' ? `values (tg_table_name, ${rows})` : `select tg_table_name, ${rows}`;
      await sql
        .raw(
          `create function access_matrix_${event}() returns trigger language plpgsql as $$ begin insert into ${log} ${source}; return null; end $$`,
        )
        .execute(db);
    }
    const statements = tables.flatMap((name) => [
      `create trigger access_matrix_inserted after insert on "${name}" referencing new table as new_rows for each statement execute function access_matrix_inserted()`,
      `create trigger access_matrix_deleted after delete on "${name}" referencing old table as old_rows for each statement execute function access_matrix_deleted()`,
      `create trigger access_matrix_truncated after truncate on "${name}" for each statement execute function access_matrix_truncated()`,
      ...['inserted', 'deleted', 'truncated'].map((event) => `alter table "${name}" enable always trigger access_matrix_${event}`),
    ]);
    await sql.raw(statements.join(';\n')).execute(db);
  } else {
    for (const name of tables) {
      await sql
        .raw(
          `create trigger "access_matrix_inserted_${name}" after insert on "${name}" begin insert into ${log} values ('${name}', 1, 0, 0); end`,
        )
        .execute(db);
      await sql
        .raw(
          `create trigger "access_matrix_deleted_${name}" after delete on "${name}" begin insert into ${log} values ('${name}', 0, 1, 0); end`,
        )
        .execute(db);
    }
  }
  const sums = sql<{
    t: string;
    d: string;
  }>`select t, sum(inserted) || ':' || sum(deleted) || ':' || sum(truncated) as d from ${sql.table(CHANGE_LOG)} group by t`;
  return {
    tables,
    read: async (on = db) => {
      const logged = new Map((await sums.execute(on)).rows.map((r) => [r.t, r.d]));
      const out = new Map(tables.map((t) => [t, logged.get(t) ?? '0:0:0']));
      const head = (await sql<{ last_seq: number; last_hash: string }>`select last_seq, last_hash from audit_head`.execute(on)).rows[0];
      out.set(AUDIT_CHAIN_HEAD, `${head?.last_seq}:${head?.last_hash}`);
      return out;
    },
  };
}

/** Every table of the database (on PostgreSQL, of the connection's schema), sorted. */
export async function allTables(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres'): Promise<string[]> {
  const names =
    dialect === 'postgres'
      ? (
          await sql<{
            name: string;
          }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(db)
        ).rows
      : (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db)).rows;
  return names.map((r) => r.name).sort();
}

/**
 * For the digest's own test, in a transaction `trx` the test rolls back: deletes one row of `table` (foreign
 * keys deferred to the commit on SQLite, not enforced with PostgreSQL's `session_replication_role = replica`), and with
 * `reinsert` inserts the same row again, leaving the count as it was. False when the table has no row.
 */
export async function changeOneRow(
  trx: Kysely<unknown>,
  dialect: 'sqlite' | 'postgres',
  table: string,
  reinsert: boolean,
): Promise<boolean> {
  const t = `"${table}"`;
  if (dialect === 'postgres') {
    await sql`set local session_replication_role = replica`.execute(trx);
    const one = `(select ctid from ${t} limit 1)`;
    const statement = reinsert
      ? `with gone as (delete from ${t} where ctid = ${one} returning *) insert into ${t} overriding system value select * from gone`
      : `delete from ${t} where ctid = ${one}`;
    return Number((await sql.raw(statement).execute(trx)).numAffectedRows ?? 0) > 0;
  }
  // Checked when the transaction commits, which it never does.
  await sql`pragma defer_foreign_keys = on`.execute(trx);
  const one = `(select min(rowid) from ${t})`;
  await sql.raw(`create temp table access_matrix_row as select * from ${t} where rowid = ${one}`).execute(trx);
  const deleted = Number((await sql.raw(`delete from ${t} where rowid = ${one}`).execute(trx)).numAffectedRows ?? 0);
  if (reinsert) await sql.raw(`insert into ${t} select * from access_matrix_row`).execute(trx);
  await sql.raw(`drop table access_matrix_row`).execute(trx);
  return deleted > 0;
}

/** The tables of `tables` without the triggers that log their changes (none, once {@link watchState} ran). */
export async function unwatchedTables(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres', tables: readonly string[]): Promise<string[]> {
  const watched =
    dialect === 'postgres'
      ? await sql<{ t: string }>`select c.relname as t from pg_trigger g join pg_class c on c.oid = g.tgrelid
          where g.tgname like 'access_matrix_%' and g.tgenabled = 'A' group by c.relname having count(*) = 3`.execute(db)
      : await sql<{ t: string }>`select tbl_name as t from sqlite_master where type = 'trigger' and name like 'access_matrix_%'
          group by tbl_name having count(*) = 2`.execute(db);
  const have = new Set(watched.rows.map((r) => r.t));
  return tables.filter((t) => !have.has(t));
}
