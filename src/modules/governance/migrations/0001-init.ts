import type { Migration } from '../../../platform/db/index.js';
import { DEFAULT_RETENTION_TABLE } from '../domain/retention-table.js';

/**
 * Governance's tables: the versioned retention table, legal holds, what purges left behind (tombstones),
 * purge runs and the blobs they still have to delete, and organisations' removal requests.
 */
export const init: Migration = {
  name: '0001_init',
  async up(db, caps) {
    const { timestamp, json } = caps.types;
    await db.schema
      .createTable('governance_retention_policy')
      .addColumn('version', 'integer', (c) => c.primaryKey())
      .addColumn('document', json, (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', timestamp, (c) => c.notNull())
      .execute();
    // Version 1 is the default table; coordinator admins replace it through the API, every version kept.
    await db
      .insertInto('governance_retention_policy')
      .values({
        version: 1,
        document: JSON.stringify(DEFAULT_RETENTION_TABLE),
        note: 'default retention table',
        created_by: 'system:migration',
        created_at: new Date().toISOString(),
      })
      .execute();

    await db.schema
      .createTable('governance_hold')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('target_id', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('placed_by', 'text', (c) => c.notNull())
      .addColumn('placed_at', timestamp, (c) => c.notNull())
      .addColumn('released_by', 'text')
      .addColumn('released_at', timestamp)
      .addColumn('release_note', 'text')
      .execute();
    await db.schema.createIndex('governance_hold_target').on('governance_hold').columns(['scope', 'target_id']).execute();

    await db.schema
      .createTable('governance_purge_run')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('cause', 'text', (c) => c.notNull())
      .addColumn('org_id', 'text')
      .addColumn('policy_version', 'integer', (c) => c.notNull())
      .addColumn('started_by', 'text', (c) => c.notNull())
      .addColumn('started_at', timestamp, (c) => c.notNull())
      .addColumn('finished_at', timestamp)
      .addColumn('purged', 'integer', (c) => c.notNull())
      .addColumn('held', 'integer', (c) => c.notNull())
      .addColumn('blobs_deleted', 'integer', (c) => c.notNull())
      .execute();

    // A purge leaves this, and nothing of the record's content: its id, class, dates and why it went.
    await db.schema
      .createTable('governance_tombstone')
      .addColumn('record_id', 'text', (c) => c.primaryKey())
      .addColumn('data_class', 'text', (c) => c.notNull())
      .addColumn('module', 'text', (c) => c.notNull())
      .addColumn('owner_org_id', 'text')
      .addColumn('created_at', timestamp)
      .addColumn('expired_at', timestamp)
      .addColumn('purged_at', timestamp, (c) => c.notNull())
      .addColumn('cause', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('policy_version', 'integer')
      .addColumn('run_id', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('governance_tombstone_purged').on('governance_tombstone').columns(['purged_at', 'record_id']).execute();
    await db.schema.createIndex('governance_tombstone_org').on('governance_tombstone').columns(['owner_org_id', 'record_id']).execute();

    // Blobs whose last record a committed purge deleted; removed from the store after the commit, and on
    // the next run if the process died in between.
    await db.schema
      .createTable('governance_pending_blob')
      .addColumn('sha256', 'text', (c) => c.primaryKey())
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('since', timestamp, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('governance_removal')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull())
      .addColumn('requested_by', 'text', (c) => c.notNull())
      .addColumn('requested_at', timestamp, (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text')
      .addColumn('completed_at', timestamp)
      .addColumn('summary', json)
      .execute();
    await db.schema.createIndex('governance_removal_org').on('governance_removal').columns(['org_id', 'id']).execute();
  },
};
