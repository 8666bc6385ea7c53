import type { Migration } from '../../../platform/db/index.js';

/**
 * Identity at every anchor level (FINGERPRINTS.md, "Partial information"): the anchor keys of findings that
 * support more than one level (a line hash and a snippet, a function and a snippet), so that a later report
 * lacking the finer anchor can meet them at the coarser one. A row names the finding, not its cluster: merges,
 * splits and undos move findings, and the anchors follow without being rewritten.
 */
export const anchors: Migration = {
  name: '0002_anchors',
  async up(db, caps) {
    await db.schema
      .createTable('intake_anchor')
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('level', 'text', (c) => c.notNull())
      .addColumn('finding_id', 'text', (c) => c.notNull())
      .addColumn('created_at', caps.types.timestamp, (c) => c.notNull())
      .addPrimaryKeyConstraint('intake_anchor_pk', ['key', 'finding_id'])
      .execute();
    await db.schema.createIndex('intake_anchor_finding').on('intake_anchor').column('finding_id').execute();
  },
};
