import type { Executor } from '../../../platform/db/index.js';
import type { RetentionTable } from '../domain/retention-table.js';
import { governance } from './tables.js';

export interface StoredRetentionTable {
  readonly version: number;
  readonly table: RetentionTable;
  readonly note: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
}

/** The retention table in force: the highest version (version 1, the default, comes with the migration). */
export async function currentRetentionTable(executor: Executor): Promise<StoredRetentionTable> {
  const row = await governance(executor)
    .selectFrom('governance_retention_policy')
    .selectAll()
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  const document = typeof row.document === 'string' ? (JSON.parse(row.document) as RetentionTable) : (row.document as RetentionTable);
  return { version: row.version, table: document, note: row.note, createdBy: row.created_by, createdAt: row.created_at };
}
