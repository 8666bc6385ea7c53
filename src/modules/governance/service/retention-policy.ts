import { authorize } from '../../identity/index.js';
import type { ServiceContext } from '../../../platform/context.js';
import { changedFields, saveNextPolicyVersion, type Page, type PageRequest, type PolicySave } from '../../../platform/db/index.js';
import { OWN_SCHEMA, schemaValidator } from '../../../platform/input/json-schema.js';
import { checkRetentionTable, RETENTION_TABLE_SCHEMA, type RetentionTable } from '../domain/retention-table.js';
import { presentRetentionTable, type RetentionTableView } from '../presenters.js';
import { currentRetentionTable, listRetentionTables, saveRetentionTable, type StoredRetentionTable } from '../store/retention-policy.js';

const validTable = schemaValidator('draft-07', RETENTION_TABLE_SCHEMA, { ...OWN_SCHEMA, at: '/table' });

/**
 * The retention table in force: what the clearinghouse keeps and for how long. Public, as the transparency
 * page shows it: parties decide what to send by it.
 */
export async function getRetentionTable(ctx: ServiceContext): Promise<RetentionTableView> {
  return presentRetentionTable(await currentRetentionTable(ctx.db.kysely));
}

/** Every version of the retention table, newest first. */
export async function listRetentionTableVersions(ctx: ServiceContext, request: PageRequest = {}): Promise<Page<RetentionTableView>> {
  const page = await listRetentionTables(ctx.db.kysely, request);
  return { items: page.items.map(presentRetentionTable), nextCursor: page.nextCursor };
}

/**
 * Replaces the retention table with a new version (coordinator admins). `version` is the version the
 * caller read: a table changed since answers ConflictError `retention-version-changed`, so that two admins
 * never overwrite each other unseen. The table is checked whole (InputError naming each field under
 * `/table`); earlier versions stay; audited as `governance.retention.update` with the changed rules.
 */
export async function updateRetentionTable(
  ctx: ServiceContext,
  input: { readonly table?: unknown; readonly version?: unknown; readonly note?: unknown },
): Promise<RetentionTableView> {
  authorize(ctx.actor, 'governance.retention.update');
  return presentRetentionTable(
    await saveNextPolicyVersion(ctx, RETENTION_TABLE_SAVE, { document: input.table, version: input.version, note: input.note }),
  );
}

const RETENTION_TABLE_SAVE: PolicySave<StoredRetentionTable> = {
  what: 'the retention table',
  conflictCode: 'retention-version-changed',
  // Version 1, the default table, comes with the migration.
  lowestVersion: 1,
  action: 'governance.retention.update',
  subjectType: 'retention_table',
  check: (table) => {
    const issues = validTable(table);
    if (issues.length > 0) return issues;
    return checkRetentionTable(table as RetentionTable).map((i) => ({ ...i, pointer: `/table${i.pointer}` }));
  },
  current: currentRetentionTable,
  build: (table, next) => ({ ...next, table: { rules: (table as RetentionTable).rules } }),
  store: saveRetentionTable,
  diff: (previous, saved) => ({ note: saved.note, changed: changedFields(previous.table.rules, saved.table.rules) }),
};
