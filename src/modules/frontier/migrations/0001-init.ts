import type { CreateTableBuilder } from 'kysely';
import type { AnyKysely, Migration } from '../../../platform/db/index.js';
import { DEFAULT_POLICY } from '../domain/policy.js';

/**
 * The program's tables. Records other parties may see carry `owner_org_id`, `tlp` and `created_by`, so
 * that identity's access policy (and its SQL twin) decides who sees them; reviews are seen with their model.
 */
/** `id`, `owner_org_id`, `tlp`, `created_by`: the columns identity's access policy reads. */
function labelled<T extends string, C extends string>(table: CreateTableBuilder<T, C>) {
  return table
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_org_id', 'text', (c) => c.notNull())
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text');
}

/** A labelled record that belongs to one review (and so to its model). */
function ofReview<T extends string, C extends string>(table: CreateTableBuilder<T, C>) {
  return labelled(table)
    .addColumn('review_id', 'text', (c) => c.notNull().references('frontier_review.id'))
    .addColumn('model_id', 'text', (c) => c.notNull());
}

/** Lists of one review's records, in id order. */
async function indexByReview(db: AnyKysely, table: string): Promise<void> {
  await db.schema.createIndex(`${table}_review`).on(table).columns(['review_id', 'id']).execute();
}

export const init: Migration = {
  name: '0001_init',
  async up(db, caps) {
    const { timestamp, json } = caps.types;
    await db.schema
      .createTable('frontier_policy')
      .addColumn('version', 'integer', (c) => c.primaryKey())
      .addColumn('document', json, (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', timestamp, (c) => c.notNull())
      .execute();
    // Version 1 is the order's default; later versions come from coordinator admins through the API.
    await db
      .insertInto('frontier_policy')
      .values({
        version: 1,
        document: JSON.stringify(DEFAULT_POLICY),
        note: 'default policy of the executive order (30-day maximum window)',
        created_by: 'system:migration',
        created_at: new Date().toISOString(),
      })
      .execute();

    await labelled(db.schema.createTable('frontier_model'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('name_key', 'text', (c) => c.notNull())
      .addColumn('version', 'text', (c) => c.notNull())
      .addColumn('modality', 'text', (c) => c.notNull())
      .addColumn('planned_release', 'text', (c) => c.notNull())
      .addColumn('compute_estimate_flop', 'double precision')
      .addColumn('description', 'text')
      .addColumn('contacts', json, (c) => c.notNull())
      .addColumn('created_at', timestamp, (c) => c.notNull())
      .addColumn('updated_at', timestamp, (c) => c.notNull())
      .addUniqueConstraint('frontier_model_name_version', ['owner_org_id', 'name_key', 'version'])
      .execute();

    await db.schema
      .createTable('frontier_determination')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('model_id', 'text', (c) => c.notNull().references('frontier_model.id'))
      .addColumn('covered', 'integer', (c) => c.notNull())
      .addColumn('determined_by_org_id', 'text', (c) => c.notNull())
      .addColumn('determined_at', timestamp, (c) => c.notNull())
      .addColumn('policy_version', 'integer', (c) => c.notNull())
      .addColumn('assessment_ref', 'text', (c) => c.notNull())
      .addColumn('recorded_by', 'text', (c) => c.notNull())
      .addColumn('created_at', timestamp, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('frontier_determination_model')
      .on('frontier_determination')
      .columns(['model_id', 'determined_at'])
      .execute();

    await db.schema
      .createTable('frontier_review')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('model_id', 'text', (c) => c.notNull().references('frontier_model.id'))
      .addColumn('owner_org_id', 'text', (c) => c.notNull())
      .addColumn('requested_days', 'integer', (c) => c.notNull())
      .addColumn('window_start', timestamp, (c) => c.notNull())
      .addColumn('window_end', timestamp, (c) => c.notNull())
      .addColumn('time_zone', 'text', (c) => c.notNull())
      .addColumn('policy_version', 'integer', (c) => c.notNull())
      .addColumn('outcome', 'text')
      .addColumn('closed_at', timestamp)
      .addColumn('closed_by', 'text')
      .addColumn('close_reason', 'text')
      .addColumn('created_by', 'text')
      .addColumn('created_at', timestamp, (c) => c.notNull())
      .addColumn('updated_at', timestamp, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('frontier_review_model').on('frontier_review').columns(['model_id', 'id']).execute();
    await db.schema.createIndex('frontier_review_due').on('frontier_review').columns(['outcome', 'window_end']).execute();

    await db.schema
      .createTable('frontier_review_event')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('review_id', 'text', (c) => c.notNull().references('frontier_review.id'))
      .addColumn('at', timestamp, (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('actor_org_id', 'text')
      // A labelled record (grant, evaluation, finding) whose readers alone see this entry.
      .addColumn('restricted_to', 'text')
      .addColumn('detail', json, (c) => c.notNull())
      .execute();
    await indexByReview(db, 'frontier_review_event');

    await db.schema
      .createTable('frontier_reminder')
      .addColumn('review_id', 'text', (c) => c.notNull().references('frontier_review.id'))
      .addColumn('lead_hours', 'integer', (c) => c.notNull())
      .addColumn('window_end', timestamp, (c) => c.notNull())
      .addColumn('sent_at', timestamp, (c) => c.notNull())
      .addPrimaryKeyConstraint('frontier_reminder_pk', ['review_id', 'lead_hours', 'window_end'])
      .execute();

    await ofReview(db.schema.createTable('frontier_grant'))
      .addColumn('grantee_org_id', 'text', (c) => c.notNull())
      .addColumn('nomination_id', 'text')
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('terms', json, (c) => c.notNull())
      .addColumn('credential_ref', 'text')
      .addColumn('starts_at', timestamp, (c) => c.notNull())
      .addColumn('expires_at', timestamp, (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('acknowledged_at', timestamp)
      .addColumn('acknowledged_by', 'text')
      .addColumn('ended_at', timestamp)
      .addColumn('end_reason', 'text')
      .addColumn('revocation_reason', 'text')
      .addColumn('created_at', timestamp, (c) => c.notNull())
      .addColumn('updated_at', timestamp, (c) => c.notNull())
      .execute();
    await indexByReview(db, 'frontier_grant');
    await db.schema.createIndex('frontier_grant_due').on('frontier_grant').columns(['status', 'expires_at']).execute();
    await db.schema.createIndex('frontier_grant_grantee').on('frontier_grant').columns(['grantee_org_id']).execute();

    await db.schema
      .createTable('frontier_material')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('review_id', 'text', (c) => c.notNull().references('frontier_review.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('media_type', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('size', caps.types.bigint, (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('created_at', timestamp, (c) => c.notNull())
      .execute();
    await indexByReview(db, 'frontier_material');

    await db.schema
      .createTable('frontier_access_log')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('review_id', 'text', (c) => c.notNull())
      .addColumn('grant_id', 'text')
      .addColumn('material_id', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('org_id', 'text')
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('used_at', timestamp, (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('created_at', timestamp, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('frontier_access_log_grant').on('frontier_access_log').columns(['grant_id', 'id']).execute();
    await indexByReview(db, 'frontier_access_log');

    await ofReview(db.schema.createTable('frontier_evaluation'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('blob_sha256', 'text')
      .addColumn('filename', 'text')
      .addColumn('summary', json, (c) => c.notNull())
      .addColumn('measurements', json, (c) => c.notNull())
      .addColumn('created_at', timestamp, (c) => c.notNull())
      .execute();
    await indexByReview(db, 'frontier_evaluation');

    await ofReview(db.schema.createTable('frontier_risk_finding'))
      .addColumn('evaluation_id', 'text')
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('recommendation', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('status_note', 'text')
      .addColumn('status_by', 'text')
      .addColumn('status_at', timestamp)
      .addColumn('created_at', timestamp, (c) => c.notNull())
      .execute();
    await indexByReview(db, 'frontier_risk_finding');

    await ofReview(db.schema.createTable('frontier_vulnerability'))
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('target', json)
      .addColumn('cwe', json, (c) => c.notNull())
      .addColumn('severity', 'text')
      .addColumn('cvss_vector', 'text')
      .addColumn('evidence', json, (c) => c.notNull())
      .addColumn('provenance', json, (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', timestamp, (c) => c.notNull())
      .execute();
    await indexByReview(db, 'frontier_vulnerability');

    await labelled(db.schema.createTable('frontier_nomination'))
      .addColumn('model_id', 'text', (c) => c.notNull().references('frontier_model.id'))
      .addColumn('candidate_org_id', 'text', (c) => c.notNull())
      .addColumn('nominated_by_org_id', 'text')
      .addColumn('nominating_side', 'text', (c) => c.notNull())
      .addColumn('rationale', 'text', (c) => c.notNull())
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('facts', json, (c) => c.notNull())
      .addColumn('score', json)
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('selected_at', timestamp)
      .addColumn('created_at', timestamp, (c) => c.notNull())
      .addColumn('updated_at', timestamp, (c) => c.notNull())
      .addUniqueConstraint('frontier_nomination_candidate', ['model_id', 'candidate_org_id'])
      .execute();

    await db.schema
      .createTable('frontier_sign_off')
      .addColumn('nomination_id', 'text', (c) => c.notNull().references('frontier_nomination.id'))
      .addColumn('org_id', 'text', (c) => c.notNull())
      .addColumn('side', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('score', json, (c) => c.notNull())
      .addColumn('signed_at', timestamp, (c) => c.notNull())
      // The database holds "two different organisations" too, not only the service.
      .addPrimaryKeyConstraint('frontier_sign_off_pk', ['nomination_id', 'org_id'])
      .execute();
  },
};
