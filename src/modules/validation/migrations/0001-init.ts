import type { Migration } from '../../../platform/db/index.js';

export const init: Migration = {
  name: '0001_init',
  async up(db, caps) {
    // One row per intake cluster: its report-management state, verdict and place in the triage queue.
    await db.schema
      .createTable('validation_triage')
      .addColumn('cluster_id', 'text', (c) => c.primaryKey())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('verdict', 'text')
      .addColumn('invalid_reason', 'text')
      .addColumn('verdict_note', 'text')
      .addColumn('duplicate_of', 'text')
      .addColumn('decided_by', 'text')
      .addColumn('decided_at', caps.types.timestamp)
      // 0 once the cluster was merged into another or emptied: it leaves the queue.
      .addColumn('active', 'integer', (c) => c.notNull())
      .addColumn('merged_into', 'text')
      .addColumn('first_seen_at', caps.types.timestamp, (c) => c.notNull())
      .addColumn('report_count', 'integer', (c) => c.notNull())
      .addColumn('reporter_count', 'integer', (c) => c.notNull())
      .addColumn('cvss_base', 'double precision')
      .addColumn('confirmations', 'integer', (c) => c.notNull())
      .addColumn('score', 'integer', (c) => c.notNull())
      .addColumn('queue_key', 'text', (c) => c.notNull())
      .addColumn('why', caps.types.json, (c) => c.notNull())
      .addColumn('created_at', caps.types.timestamp, (c) => c.notNull())
      .addColumn('updated_at', caps.types.timestamp, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('validation_triage_queue')
      .on('validation_triage')
      .columns(['state', 'active', 'queue_key', 'cluster_id'])
      .execute();

    await db.schema
      .createTable('validation_transition')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('cluster_id', 'text', (c) => c.notNull())
      .addColumn('from_state', 'text', (c) => c.notNull())
      .addColumn('to_state', 'text', (c) => c.notNull())
      .addColumn('basis', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('note', 'text')
      .addColumn('actor_org_id', 'text')
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('at', caps.types.timestamp, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('validation_transition_cluster').on('validation_transition').columns(['cluster_id', 'at']).execute();

    // Who reported what, mirrored from intake per finding: the track record and quotas are counted from it.
    await db.schema
      .createTable('validation_report')
      .addColumn('finding_id', 'text', (c) => c.primaryKey())
      .addColumn('cluster_id', 'text', (c) => c.notNull())
      .addColumn('submission_id', 'text', (c) => c.notNull())
      .addColumn('reporter_org_id', 'text', (c) => c.notNull())
      .addColumn('reporter_user_id', 'text')
      .addColumn('tool', 'text')
      .addColumn('model', 'text')
      .addColumn('source_key', 'text', (c) => c.notNull())
      .addColumn('ai_generated', 'integer')
      .addColumn('not_first', 'integer', (c) => c.notNull())
      .addColumn('severity', 'double precision')
      .addColumn('severity_source', 'text', (c) => c.notNull())
      .addColumn('cvss_base', 'double precision')
      .addColumn('reported_at', caps.types.timestamp, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('validation_report_cluster').on('validation_report').columns(['cluster_id', 'reporter_org_id']).execute();
    await db.schema.createIndex('validation_report_org').on('validation_report').columns(['reporter_org_id', 'reported_at']).execute();
    await db.schema.createIndex('validation_report_source').on('validation_report').columns(['source_key', 'cluster_id']).execute();

    await db.schema
      .createTable('validation_attempt')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('cluster_id', 'text', (c) => c.notNull())
      .addColumn('job_id', 'text')
      .addColumn('validator_org_id', 'text', (c) => c.notNull())
      .addColumn('validator_user_id', 'text')
      .addColumn('artifact', 'text', (c) => c.notNull())
      .addColumn('affected_build', 'text', (c) => c.notNull())
      .addColumn('fixed_build', 'text')
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('reproduced_affected', 'integer', (c) => c.notNull())
      .addColumn('reproduced_fixed', 'integer')
      .addColumn('confirms', 'integer', (c) => c.notNull())
      .addColumn('conflicts', caps.types.json, (c) => c.notNull())
      .addColumn('notes', 'text')
      .addColumn('steps', caps.types.json, (c) => c.notNull())
      .addColumn('assessment', caps.types.json, (c) => c.notNull())
      .addColumn('created_at', caps.types.timestamp, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('validation_attempt_cluster')
      .on('validation_attempt')
      .columns(['cluster_id', 'validator_org_id'])
      .execute();

    // Access-controlled like every TLP-labelled record: id, owner_org_id, tlp, created_by (+ identity_recipient).
    await db.schema
      .createTable('validation_evidence')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('cluster_id', 'text', (c) => c.notNull())
      .addColumn('attempt_id', 'text')
      .addColumn('owner_org_id', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('tlp', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('filename', 'text', (c) => c.notNull())
      .addColumn('media_type', 'text')
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('size', caps.types.bigint, (c) => c.notNull())
      .addColumn('created_at', caps.types.timestamp, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('validation_evidence_cluster').on('validation_evidence').columns(['cluster_id', 'id']).execute();

    // Validation work for partner sandboxes: one platform job per open slot; the job holds the lease.
    await db.schema
      .createTable('validation_work')
      .addColumn('job_id', 'text', (c) => c.primaryKey())
      .addColumn('cluster_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('opened_at', caps.types.timestamp, (c) => c.notNull())
      .addColumn('closed_at', caps.types.timestamp)
      .addColumn('claimed_org_id', 'text')
      .addColumn('claimed_user_id', 'text')
      .addColumn('claimed_at', caps.types.timestamp)
      .addColumn('lease_expires_at', caps.types.timestamp)
      .addColumn('attempt_id', 'text')
      .addUniqueConstraint('validation_work_slot', ['cluster_id', 'seq'])
      .execute();
    await db.schema.createIndex('validation_work_open').on('validation_work').columns(['cluster_id', 'closed_at']).execute();

    await db.schema
      .createTable('validation_quota_override')
      .addColumn('org_id', 'text', (c) => c.primaryKey())
      .addColumn('daily_limit', 'integer')
      .addColumn('note', 'text', (c) => c.notNull())
      .addColumn('set_by', 'text', (c) => c.notNull())
      .addColumn('set_at', caps.types.timestamp, (c) => c.notNull())
      .execute();

    // API submissions per reporter over the last 24 hours, for the quota; older rows are pruned as it counts.
    await db.schema
      .createTable('validation_quota_usage')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull())
      .addColumn('at', caps.types.timestamp, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('validation_quota_usage_org').on('validation_quota_usage').columns(['org_id', 'at']).execute();

    await db.schema
      .createTable('validation_policy')
      .addColumn('version', 'integer', (c) => c.primaryKey())
      .addColumn('document', caps.types.json, (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', caps.types.timestamp, (c) => c.notNull())
      .execute();
  },
};
