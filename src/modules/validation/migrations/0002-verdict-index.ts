import type { Migration } from '../../../platform/db/index.js';

/**
 * Reporters' precision counts decided clusters only: found through their verdict, so that its cost follows
 * the verdicts given, not every report a reporter ever sent.
 */
export const verdictIndex: Migration = {
  name: '0002_verdict_index',
  async up(db) {
    await db.schema.createIndex('validation_triage_verdict').on('validation_triage').columns(['verdict', 'cluster_id']).execute();
  },
};
