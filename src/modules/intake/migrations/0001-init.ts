import type { Migration } from '../../../platform/db/index.js';

export const init: Migration = {
  name: '0001_init',
  async up(db, caps) {
    await db.schema
      .createTable('intake_submission')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('owner_org_id', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('tlp', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('size', caps.types.bigint, (c) => c.notNull())
      .addColumn('filename', 'text')
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('format_version', 'text')
      .addColumn('document_id', 'text')
      .addColumn('campaign_id', 'text')
      .addColumn('recipients', caps.types.json, (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('finding_count', 'integer', (c) => c.notNull())
      .addColumn('warnings', caps.types.json, (c) => c.notNull())
      .addColumn('error', 'text')
      .addColumn('created_at', caps.types.timestamp, (c) => c.notNull())
      .addColumn('processed_at', caps.types.timestamp)
      .addUniqueConstraint('intake_submission_once', ['owner_org_id', 'sha256'])
      .execute();

    await db.schema
      .createTable('intake_cluster')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text')
      .addColumn('target_identity', 'text')
      .addColumn('cwes', caps.types.json, (c) => c.notNull())
      .addColumn('aliases', caps.types.json, (c) => c.notNull())
      .addColumn('first_finding_id', 'text', (c) => c.notNull())
      .addColumn('first_reporter_org_id', 'text', (c) => c.notNull())
      .addColumn('first_seen_at', caps.types.timestamp, (c) => c.notNull())
      .addColumn('finding_count', 'integer', (c) => c.notNull())
      .addColumn('reporter_count', 'integer', (c) => c.notNull())
      // Report-management state; the validation module moves it (received → valid | invalid → …).
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('merged_into', 'text')
      .addColumn('created_at', caps.types.timestamp, (c) => c.notNull())
      .addColumn('updated_at', caps.types.timestamp, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('intake_cluster_target').on('intake_cluster').columns(['target_identity', 'id']).execute();
    await db.schema.createIndex('intake_cluster_state').on('intake_cluster').columns(['state', 'id']).execute();

    await db.schema
      .createTable('intake_finding')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('submission_id', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('ref', 'text', (c) => c.notNull())
      .addColumn('product_id', 'text')
      .addColumn('owner_org_id', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('tlp', 'text', (c) => c.notNull())
      .addColumn('cluster_id', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('title', 'text')
      .addColumn('target_identity', 'text')
      .addColumn('cwes', caps.types.json, (c) => c.notNull())
      .addColumn('tool', 'text')
      .addColumn('model', 'text')
      .addColumn('ai_generated', 'integer')
      .addColumn('near_dup_indexed', 'integer', (c) => c.notNull())
      .addColumn('data', caps.types.json, (c) => c.notNull())
      .addColumn('created_at', caps.types.timestamp, (c) => c.notNull())
      .addUniqueConstraint('intake_finding_once', ['submission_id', 'position'])
      .execute();
    await db.schema.createIndex('intake_finding_cluster').on('intake_finding').columns(['cluster_id', 'owner_org_id']).execute();

    // Identity keys (aliases and fingerprints) → the cluster that holds them; a key belongs to one cluster.
    await db.schema
      .createTable('intake_cluster_key')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('cluster_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('finding_id', 'text', (c) => c.notNull())
      .addColumn('created_at', caps.types.timestamp, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('intake_cluster_key_cluster').on('intake_cluster_key').column('cluster_id').execute();

    // Locality-sensitive buckets of MinHash bands, for near-duplicate candidates.
    await db.schema
      .createTable('intake_lsh')
      .addColumn('bucket', 'text', (c) => c.notNull())
      .addColumn('finding_id', 'text', (c) => c.notNull())
      .addColumn('cluster_id', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('intake_lsh_bucket').on('intake_lsh').column('bucket').execute();

    await db.schema
      .createTable('intake_candidate')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('cluster_id', 'text', (c) => c.notNull())
      .addColumn('other_cluster_id', 'text', (c) => c.notNull())
      .addColumn('similarity', 'real', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', caps.types.timestamp, (c) => c.notNull())
      .addColumn('decided_at', caps.types.timestamp)
      .addColumn('decided_by', 'text')
      .addUniqueConstraint('intake_candidate_pair', ['cluster_id', 'other_cluster_id'])
      .execute();
    await db.schema.createIndex('intake_candidate_other').on('intake_candidate').column('other_cluster_id').execute();

    // Merges and splits, automatic (shared alias) or by a coordinator; each can be undone.
    await db.schema
      .createTable('intake_regroup')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('from_cluster_id', 'text', (c) => c.notNull())
      .addColumn('into_cluster_id', 'text', (c) => c.notNull())
      .addColumn('finding_ids', caps.types.json, (c) => c.notNull())
      .addColumn('key_names', caps.types.json, (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('created_at', caps.types.timestamp, (c) => c.notNull())
      .addColumn('undone_at', caps.types.timestamp)
      .execute();
    await db.schema.createIndex('intake_regroup_from').on('intake_regroup').column('from_cluster_id').execute();
    await db.schema.createIndex('intake_regroup_into').on('intake_regroup').column('into_cluster_id').execute();
  },
};
