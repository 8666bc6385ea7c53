import type { Migration } from '../../../platform/db/index.js';

/**
 * Drops `intake_cluster_target` (target_identity, id): no query reads clusters by their own target identity —
 * the cluster list and the counts per state filter on the reports' targets (`intake_finding`), which the
 * caller may see, never on the cluster's label. Every new cluster still paid for it: an entry at one of as
 * many places as there are targets, so a page of its own for most clusters of a 1,000-finding submission, in
 * every commit and checkpoint (issue 14).
 */
export const dropClusterTargetIndex: Migration = {
  name: '0004_drop_cluster_target_index',
  async up(db) {
    await db.schema.dropIndex('intake_cluster_target').ifExists().execute();
  },
};
