import { sql } from 'kysely';
import type { Migration } from '../../../platform/db/index.js';

/**
 * Voluntary testing agreements (issue 18): one row per agreement between a developer and a government
 * organisation, one per version of its terms, and on each review the agreement version in force when it
 * opened (null when none was).
 */
export const testingAgreements: Migration = {
  name: '0002_testing_agreements',
  async up(db, caps) {
    const { timestamp, json } = caps.types;
    await db.schema
      .createTable('frontier_agreement')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('developer_org_id', 'text', (c) => c.notNull())
      .addColumn('government_org_id', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', timestamp, (c) => c.notNull())
      .addColumn('ended_at', timestamp)
      .addColumn('ended_by', 'text')
      .addColumn('ended_by_org_id', 'text')
      .addColumn('end_reason', 'text')
      .execute();
    // One running agreement per pair of organisations; an ended one may be followed by a new one.
    await sql`create unique index frontier_agreement_running on frontier_agreement (developer_org_id, government_org_id) where ended_at is null`.execute(
      db,
    );
    await db.schema.createIndex('frontier_agreement_government').on('frontier_agreement').columns(['government_org_id', 'id']).execute();

    await db.schema
      .createTable('frontier_agreement_version')
      .addColumn('agreement_id', 'text', (c) => c.notNull().references('frontier_agreement.id'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('terms', json, (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('proposed_by', 'text', (c) => c.notNull())
      .addColumn('proposed_by_org_id', 'text', (c) => c.notNull())
      .addColumn('proposed_at', timestamp, (c) => c.notNull())
      .addColumn('policy_version', 'integer', (c) => c.notNull())
      .addColumn('developer_signed_by', 'text')
      .addColumn('developer_signed_at', timestamp)
      .addColumn('government_signed_by', 'text')
      .addColumn('government_signed_at', timestamp)
      .addColumn('in_force_at', timestamp)
      .addColumn('closed_at', timestamp)
      .addPrimaryKeyConstraint('frontier_agreement_version_pk', ['agreement_id', 'version'])
      .execute();

    await db.schema.alterTable('frontier_review').addColumn('agreement_id', 'text').execute();
    await db.schema.alterTable('frontier_review').addColumn('agreement_version', 'integer').execute();
  },
};
