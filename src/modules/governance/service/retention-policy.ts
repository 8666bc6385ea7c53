import { authorize } from '../../identity/index.js';
import { describeActor } from '../../../platform/actor.js';
import type { ServiceContext } from '../../../platform/context.js';
import {
  changedFields,
  policySaveIssues,
  requireVersionInForce,
  serializeOn,
  withTransaction,
  type Page,
  type PageRequest,
} from '../../../platform/db/index.js';
import { rejectInput } from '../../../platform/input/issues.js';
import { OWN_SCHEMA, schemaValidator } from '../../../platform/input/json-schema.js';
import { checkRetentionTable, RETENTION_TABLE_SCHEMA, type RetentionTable } from '../domain/retention-table.js';
import { currentRetentionTable, listRetentionTables, saveRetentionTable, type StoredRetentionTable } from '../store/retention-policy.js';

const validTable = schemaValidator('draft-07', RETENTION_TABLE_SCHEMA, { ...OWN_SCHEMA, at: '/table' });

/**
 * The retention table in force: what the clearinghouse keeps and for how long. Public, as the transparency
 * page shows it: parties decide what to send by it.
 */
export async function getRetentionTable(ctx: ServiceContext): Promise<StoredRetentionTable> {
  return currentRetentionTable(ctx.db.kysely);
}

/** Every version of the retention table, newest first. */
export async function listRetentionTableVersions(ctx: ServiceContext, request: PageRequest = {}): Promise<Page<StoredRetentionTable>> {
  return listRetentionTables(ctx.db.kysely, request);
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
): Promise<StoredRetentionTable> {
  authorize(ctx.actor, 'governance.retention.update');
  const issues = validTable(input.table);
  if (issues.length === 0)
    issues.push(...checkRetentionTable(input.table as RetentionTable).map((i) => ({ ...i, pointer: `/table${i.pointer}` })));
  issues.push(...policySaveIssues(input, 1));
  const note = input.note;
  if (issues.length > 0) rejectInput('the retention table is not valid', issues);
  const table = input.table as RetentionTable;
  return withTransaction(ctx.db, async (trx) => {
    await serializeOn(trx, ctx.db.caps, 'governance.retention');
    const previous = await currentRetentionTable(trx);
    requireVersionInForce('the retention table', input.version, previous.version, 'retention-version-changed');
    const saved: StoredRetentionTable = {
      version: previous.version + 1,
      table: { rules: table.rules },
      note: typeof note === 'string' ? note : null,
      createdBy: describeActor(ctx.actor),
      createdAt: ctx.clock.now().toISOString(),
    };
    await saveRetentionTable(trx, saved);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'governance.retention.update',
      subject: { type: 'retention_table', id: String(saved.version) },
      orgId: null,
      diff: { note: saved.note, changed: changedFields(previous.table.rules, saved.table.rules) },
    });
    return saved;
  });
}
