import { sql } from 'kysely';
import type { Migration } from '../../../platform/db/index.js';

/**
 * Each reporting organisation's decided clusters, valid and invalid, as counters kept in step with the
 * verdicts and the reports that move them, so that a reporter's precision is one row read per submission
 * instead of a count over its reports. Back-filled here from the reports and verdicts already stored.
 */
export const reporterRecord: Migration = {
  name: '0003_reporter_record',
  async up(db) {
    await db.schema
      .createTable('validation_reporter_record')
      .addColumn('org_id', 'text', (c) => c.primaryKey())
      .addColumn('valid', 'integer', (c) => c.notNull())
      .addColumn('invalid', 'integer', (c) => c.notNull())
      .execute();
    await sql`
      insert into validation_reporter_record (org_id, valid, invalid)
      select r.reporter_org_id,
             count(distinct case when tr.verdict = 'valid' then r.cluster_id end),
             count(distinct case when tr.verdict = 'invalid' then r.cluster_id end)
      from validation_triage tr
      join validation_report r on r.cluster_id = tr.cluster_id
      where tr.verdict in ('valid', 'invalid')
      group by r.reporter_org_id`.execute(db);
  },
};
