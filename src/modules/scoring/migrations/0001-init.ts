import type { Migration } from '../../../platform/db/index.js';
import { DEFAULT_PRIORITIZATION_POLICY } from '../domain/prioritization-policy.js';

/**
 * The scoring tables: the KEV and EPSS feeds with their import history, the versioned prioritization
 * policy, where feeds are refreshed from, and the decisions (current, detail, history) with the CVEs and
 * CVSS vectors of each subject. Scores are `double precision` on both databases (PostgreSQL's `real` is
 * four bytes and would round EPSS probabilities).
 */
export const init: Migration = {
  name: '0001_init',
  async up(db, caps) {
    await db.schema
      .createTable('scoring_kev_entry')
      .addColumn('cve_id', 'text', (c) => c.primaryKey())
      .addColumn('vendor_project', 'text', (c) => c.notNull())
      .addColumn('product', 'text', (c) => c.notNull())
      .addColumn('vulnerability_name', 'text', (c) => c.notNull())
      .addColumn('date_added', 'text', (c) => c.notNull())
      .addColumn('due_date', 'text', (c) => c.notNull())
      .addColumn('known_ransomware_campaign_use', 'text', (c) => c.notNull())
      .addColumn('catalog_version', 'text', (c) => c.notNull())
      .addColumn('date_released', 'text', (c) => c.notNull())
      .addColumn('first_seen_at', caps.types.timestamp, (c) => c.notNull())
      .addColumn('updated_at', caps.types.timestamp, (c) => c.notNull())
      .addColumn('removed_at', caps.types.timestamp)
      .addColumn('removed_in_catalog', 'text')
      .execute();
    await db.schema
      .createTable('scoring_kev_import')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('catalog_version', 'text', (c) => c.notNull())
      .addColumn('date_released', 'text', (c) => c.notNull())
      .addColumn('previous_catalog_version', 'text')
      .addColumn('imported_at', caps.types.timestamp, (c) => c.notNull())
      .addColumn('imported_by', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('entry_count', 'integer', (c) => c.notNull())
      .addColumn('added', caps.types.json, (c) => c.notNull())
      .addColumn('removed', caps.types.json, (c) => c.notNull())
      .addColumn('changed', caps.types.json, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('scoring_epss_score')
      .addColumn('cve_id', 'text', (c) => c.notNull())
      .addColumn('score_date', 'text', (c) => c.notNull())
      .addColumn('epss', 'double precision', (c) => c.notNull())
      .addColumn('percentile', 'double precision', (c) => c.notNull())
      .addColumn('model_version', 'text')
      .addPrimaryKeyConstraint('scoring_epss_score_pk', ['cve_id', 'score_date'])
      .execute();
    await db.schema.createIndex('scoring_epss_score_date').on('scoring_epss_score').columns(['score_date']).execute();
    await db.schema
      .createTable('scoring_epss_latest')
      .addColumn('cve_id', 'text', (c) => c.primaryKey())
      .addColumn('score_date', 'text', (c) => c.notNull())
      .addColumn('epss', 'double precision', (c) => c.notNull())
      .addColumn('percentile', 'double precision', (c) => c.notNull())
      .addColumn('model_version', 'text')
      .execute();
    await db.schema
      .createTable('scoring_epss_import')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('imported_at', caps.types.timestamp, (c) => c.notNull())
      .addColumn('imported_by', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('model_version', 'text')
      .addColumn('score_dates', caps.types.json, (c) => c.notNull())
      .addColumn('row_count', 'integer', (c) => c.notNull())
      .addColumn('stored_count', 'integer', (c) => c.notNull())
      .addColumn('latest_changed_count', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('scoring_policy')
      .addColumn('revision', 'integer', (c) => c.primaryKey())
      .addColumn('version', 'text', (c) => c.notNull().unique())
      .addColumn('document', caps.types.json, (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', caps.types.timestamp, (c) => c.notNull())
      .execute();
    // The policy in force until a coordinator admin sets another, as of this migration.
    await db
      .insertInto('scoring_policy')
      .values({
        revision: 1,
        version: DEFAULT_PRIORITIZATION_POLICY.version,
        document: JSON.stringify(DEFAULT_PRIORITIZATION_POLICY),
        note: 'the default prioritization policy',
        created_by: 'system:migration',
        created_at: new Date().toISOString(),
      })
      .execute();
    await db.schema
      .createTable('scoring_feed_source')
      .addColumn('feed', 'text', (c) => c.primaryKey())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('every_hours', 'integer', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .addColumn('updated_at', caps.types.timestamp, (c) => c.notNull())
      .addColumn('last_attempt_at', caps.types.timestamp)
      .addColumn('last_success_at', caps.types.timestamp)
      .addColumn('last_error', 'text')
      .execute();
    await db.schema
      .createTable('scoring_decision')
      .addColumn('subject_id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text')
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('outcome_since', caps.types.timestamp, (c) => c.notNull())
      .addColumn('vendor_fix_due_at', caps.types.timestamp, (c) => c.notNull())
      .addColumn('exploitation', 'text', (c) => c.notNull())
      .addColumn('automatable', 'text', (c) => c.notNull())
      .addColumn('technical_impact', 'text', (c) => c.notNull())
      .addColumn('mission_wellbeing', 'text', (c) => c.notNull())
      .addColumn('supplier_outcome', 'text', (c) => c.notNull())
      .addColumn('policy_version', 'text', (c) => c.notNull())
      .addColumn('epss', 'double precision')
      .addColumn('epss_percentile', 'double precision')
      .addColumn('epss_date', 'text')
      .addColumn('epss_cve_id', 'text')
      .addColumn('exposure_count', 'integer', (c) => c.notNull())
      .addColumn('cvss_vector', 'text')
      .addColumn('detail_hash', 'text', (c) => c.notNull())
      .addColumn('evaluated_at', caps.types.timestamp, (c) => c.notNull())
      .addColumn('created_at', caps.types.timestamp, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('scoring_decision_detail')
      .addColumn('subject_id', 'text', (c) => c.primaryKey())
      // Text, not jsonb: the canonical JSON is hashed (detail_hash), so its bytes must come back as written.
      .addColumn('inputs', 'text', (c) => c.notNull())
      .addColumn('explanation', caps.types.json, (c) => c.notNull())
      .addColumn('supplier', caps.types.json, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('scoring_decision_history')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('at', caps.types.timestamp, (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('previous_outcome', 'text')
      .addColumn('changes', caps.types.json, (c) => c.notNull())
      .addColumn('explanation', caps.types.json)
      .execute();
    await db.schema
      .createIndex('scoring_decision_history_subject')
      .on('scoring_decision_history')
      .columns(['subject_id', 'revision'])
      .unique()
      .execute();
    await db.schema
      .createTable('scoring_subject_cve')
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('cve_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('scoring_subject_cve_pk', ['subject_id', 'cve_id'])
      .execute();
    await db.schema.createIndex('scoring_subject_cve_cve').on('scoring_subject_cve').columns(['cve_id', 'subject_id']).execute();
    await db.schema
      .createTable('scoring_cvss_score')
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('vector', 'text', (c) => c.notNull())
      .addColumn('version', 'text', (c) => c.notNull())
      .addColumn('base', 'double precision', (c) => c.notNull())
      .addColumn('overall', 'double precision', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('scores', caps.types.json, (c) => c.notNull())
      .addColumn('scored_at', caps.types.timestamp, (c) => c.notNull())
      .addPrimaryKeyConstraint('scoring_cvss_score_pk', ['subject_id', 'vector'])
      .execute();
  },
};
