import type { Migration } from '../../../platform/db/index.js';

/**
 * The advisories module's tables. An advisory is one case's CSAF document: a draft (TLP:AMBER or RED,
 * for the case's participants) until it is published, then TLP:CLEAR with one row per published revision.
 * A revision names its document, `.sha256`, `.sha512` and `.asc` files by the SHA-256 of their bytes in the
 * blob store; they never change once written. The case and the tracking id are unique: two coordinators
 * generating at once make one advisory.
 */
export const init: Migration = {
  name: '0001_init',
  async up(db, caps) {
    const ts = caps.types.timestamp;

    await db.schema
      .createTable('advisories_advisory')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('case_id', 'text', (c) => c.notNull().unique())
      .addColumn('tracking_id', 'text', (c) => c.notNull().unique())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      // `draft` or `published`; the TLP of the current document (CLEAR once published).
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('tlp', 'text', (c) => c.notNull())
      .addColumn('owner_org_id', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      // The draft document (blob SHA-256) and the fingerprint of what it was generated from.
      .addColumn('draft_sha256', 'text', (c) => c.notNull())
      .addColumn('draft_fingerprint', 'text', (c) => c.notNull())
      // The latest published revision (0 while a draft), its path below the TLP directory and fingerprint.
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('path', 'text')
      .addColumn('published_fingerprint', 'text')
      .addColumn('published_at', ts)
      .addColumn('current_release_at', ts)
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('advisories_advisory_list').on('advisories_advisory').columns(['created_at', 'id']).execute();
    await db.schema
      .createIndex('advisories_advisory_published')
      .on('advisories_advisory')
      .columns(['status', 'current_release_at'])
      .execute();

    await db.schema
      .createTable('advisories_revision')
      .addColumn('advisory_id', 'text', (c) => c.notNull().references('advisories_advisory.id'))
      .addColumn('number', 'integer', (c) => c.notNull())
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('document_sha256', 'text', (c) => c.notNull())
      .addColumn('sha256_file', 'text', (c) => c.notNull())
      .addColumn('sha512_file', 'text', (c) => c.notNull())
      .addColumn('asc_file', 'text', (c) => c.notNull())
      .addColumn('key_fingerprint', 'text', (c) => c.notNull())
      .addColumn('published_by', 'text')
      .addColumn('published_at', ts, (c) => c.notNull())
      .addPrimaryKeyConstraint('advisories_revision_pk', ['advisory_id', 'number'])
      .execute();
  },
};
