import type { Migration } from '../../../platform/db/index.js';

/**
 * An organisation's removal runs as a background job (issue 18): the request records the removal and
 * queues its job in one transaction. `active_org_id` is the organisation while its removal is queued or
 * running and null once it completed, unique, so that two requests at once make one removal (the second
 * answers the first); `work_id` is the background work a caller follows. Each purge run of a removal names
 * it, so that what a removal deleted is counted from its tombstones even across a crash and a resumed run.
 */
export const removalJobs: Migration = {
  name: '0002_removal_jobs',
  async up(db) {
    await db.schema.alterTable('governance_removal').addColumn('active_org_id', 'text').execute();
    await db.schema.alterTable('governance_removal').addColumn('work_id', 'text').execute();
    await db.schema.createIndex('governance_removal_active').on('governance_removal').column('active_org_id').unique().execute();
    await db.schema.alterTable('governance_purge_run').addColumn('removal_id', 'text').execute();
    await db.schema.createIndex('governance_purge_run_removal').on('governance_purge_run').column('removal_id').execute();
  },
};
