import { sql, type Kysely, type TableMetadata } from 'kysely';

/**
 * The tables of this test's own database: on PostgreSQL each test file works in its own schema of one shared
 * database, and Kysely's introspection lists the tables of every schema — those of the files running beside
 * it (two workers) included, each table then seen twice.
 */
export async function ownTables(db: Kysely<unknown>): Promise<TableMetadata[]> {
  const tables = await db.introspection.getTables();
  if (tables.every((table) => table.schema === undefined)) return tables;
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return tables.filter((table) => table.schema === rows[0]?.schema);
}
