import { policyDocument, versionedPolicyStore, type Executor, type Page, type PageRequest } from '../../../platform/db/index.js';
import type { RetentionTable } from '../domain/retention-table.js';
import type { RetentionPolicyRow } from './tables.js';

export interface StoredRetentionTable {
  readonly version: number;
  readonly table: RetentionTable;
  readonly note: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
}

const policies = versionedPolicyStore<RetentionPolicyRow>('governance_retention_policy', 'version');

/** The retention table in force: the highest version (version 1, the default, comes with the migration). */
export async function currentRetentionTable(executor: Executor): Promise<StoredRetentionTable> {
  const row = await policies.latest(executor);
  if (row === undefined) throw new Error('the governance_retention_policy table is empty: the governance migration did not run');
  return present(row);
}

function present(row: RetentionPolicyRow): StoredRetentionTable {
  return {
    version: row.version,
    table: policyDocument<RetentionTable>(row),
    note: row.note,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

/** Every version, newest first. */
export async function listRetentionTables(executor: Executor, request: PageRequest): Promise<Page<StoredRetentionTable>> {
  const page = await policies.list(executor, request);
  return { items: page.items.map(present), nextCursor: page.nextCursor };
}

export async function saveRetentionTable(executor: Executor, table: StoredRetentionTable): Promise<void> {
  await policies.insert(executor, {
    version: table.version,
    document: JSON.stringify(table.table),
    note: table.note,
    created_by: table.createdBy,
    created_at: table.createdAt,
  });
}
