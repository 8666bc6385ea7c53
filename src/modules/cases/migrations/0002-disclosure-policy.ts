import { createPolicyTable, type Migration } from '../../../platform/db/index.js';

/**
 * The disclosure policy as versioned data (DESIGN §5, "Configuration"): one row per version a coordinator
 * admin saved (none: the built-in defaults, version 0), and on each case the version its embargo was last
 * decided under (null for cases decided before this table existed).
 */
export const disclosurePolicy: Migration = {
  name: '0002_disclosure_policy',
  async up(db, caps) {
    await createPolicyTable(db, caps, 'cases_disclosure_policy');
    await db.schema.alterTable('cases_case').addColumn('disclosure_policy_version', 'integer').execute();
  },
};
