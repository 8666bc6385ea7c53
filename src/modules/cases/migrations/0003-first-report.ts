import type { Migration } from '../../../platform/db/index.js';

/**
 * When the earliest report behind a case arrived, kept at opening: the transparency report's times to vendor
 * notification and to a fix count from it, as the time to validation does. Null for cases opened before
 * (their figures count from the opening).
 */
export const firstReport: Migration = {
  name: '0003_first_report',
  async up(db, caps) {
    await db.schema.alterTable('cases_case').addColumn('first_reported_at', caps.types.timestamp).execute();
  },
};
