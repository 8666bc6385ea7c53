import type { Migration } from '../../../platform/db/index.js';

/**
 * The cases module's tables. A case is numbered from a counter row per year, updated in the opening
 * transaction (no gaps, no duplicates across processes); a cluster belongs to at most one case; a
 * participant is one organisation in one role; a statement is one vendor's word on one vulnerability × one
 * product. The embargo is kept whole as JSON (the domain's value), with its state and end beside it for
 * the expiry and reminder sweeps.
 */
export const init: Migration = {
  name: '0001_init',
  async up(db, caps) {
    const ts = caps.types.timestamp;
    const json = caps.types.json;

    await db.schema
      .createTable('cases_number')
      .addColumn('year', 'integer', (c) => c.primaryKey())
      .addColumn('last', 'integer', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('cases_case')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('number', 'text', (c) => c.notNull().unique())
      .addColumn('owner_org_id', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('opened_by', 'text', (c) => c.notNull())
      .addColumn('exploited', 'integer', (c) => c.notNull())
      .addColumn('embargo', json, (c) => c.notNull())
      .addColumn('embargo_state', 'text', (c) => c.notNull())
      .addColumn('embargo_ends_at', ts)
      .addColumn('disclosed_at', ts)
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('cases_case_embargo').on('cases_case').columns(['embargo_state', 'embargo_ends_at']).execute();

    // A cluster is coordinated in one case: the unique key decides between two coordinators opening at once.
    await db.schema
      .createTable('cases_vulnerability')
      .addColumn('case_id', 'text', (c) => c.notNull().references('cases_case.id'))
      .addColumn('cluster_id', 'text', (c) => c.notNull().unique())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('title', 'text')
      .addColumn('aliases', json, (c) => c.notNull())
      .addColumn('cwes', json, (c) => c.notNull())
      .addColumn('purls', json, (c) => c.notNull())
      .addPrimaryKeyConstraint('cases_vulnerability_pk', ['case_id', 'cluster_id'])
      .execute();

    await db.schema
      .createTable('cases_participant')
      .addColumn('case_id', 'text', (c) => c.notNull().references('cases_case.id'))
      .addColumn('org_id', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      // How it came: `opening`, `coordinator`, `purl` (a declared scope matched), `vendor:<org id>` (proposed by one).
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('matches', json, (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('notified_at', ts)
      .addColumn('seen_at', ts)
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .addPrimaryKeyConstraint('cases_participant_pk', ['case_id', 'org_id'])
      .execute();
    await db.schema.createIndex('cases_participant_org').on('cases_participant').columns(['org_id', 'state', 'case_id']).execute();

    await db.schema
      .createTable('cases_vendor_scope')
      .addColumn('org_id', 'text', (c) => c.notNull())
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('created_at', ts, (c) => c.notNull())
      .addPrimaryKeyConstraint('cases_vendor_scope_pk', ['org_id', 'scope'])
      .execute();
    await db.schema.createIndex('cases_vendor_scope_type').on('cases_vendor_scope').columns(['type', 'scope']).execute();

    await db.schema
      .createTable('cases_statement')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('case_id', 'text', (c) => c.notNull().references('cases_case.id'))
      .addColumn('vendor_org_id', 'text', (c) => c.notNull())
      .addColumn('cluster_id', 'text', (c) => c.notNull())
      .addColumn('product_key', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('content', json, (c) => c.notNull())
      .addColumn('share_before_publication', 'integer', (c) => c.notNull())
      .addColumn('approval', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('decided_by', 'text')
      .addColumn('decided_at', ts)
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .addUniqueConstraint('cases_statement_once', ['case_id', 'vendor_org_id', 'cluster_id', 'product_key'])
      .execute();

    // The case timeline; `audience_org_id` null for every participant, else that organisation (and coordinators).
    await db.schema
      .createTable('cases_timeline')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('case_id', 'text', (c) => c.notNull().references('cases_case.id'))
      .addColumn('audience_org_id', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('actor_org_id', 'text')
      .addColumn('actor_user_id', 'text')
      .addColumn('data', json, (c) => c.notNull())
      .addColumn('at', ts, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('cases_timeline_case').on('cases_timeline').columns(['case_id', 'at', 'id']).execute();

    // Discussion: the common thread and one private channel per participant organisation (`org:<id>`).
    await db.schema
      .createTable('cases_post')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('case_id', 'text', (c) => c.notNull().references('cases_case.id'))
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('author_org_id', 'text')
      .addColumn('author_user_id', 'text')
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', ts, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('cases_post_channel').on('cases_post').columns(['case_id', 'channel', 'created_at', 'id']).execute();

    // CNA blocks: `next` is handed out under the block's row, so two processes never take the same number.
    await db.schema
      .createTable('cases_cna_block')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('first', 'integer', (c) => c.notNull())
      .addColumn('last', 'integer', (c) => c.notNull())
      .addColumn('next', 'integer', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('created_at', ts, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('cases_cve_quota')
      .addColumn('org_id', 'text', (c) => c.primaryKey())
      .addColumn('quota', 'integer', (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('cases_cve')
      .addColumn('cve_id', 'text', (c) => c.primaryKey())
      .addColumn('block_id', 'text', (c) => c.notNull().references('cases_cna_block.id'))
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('org_id', 'text', (c) => c.notNull())
      .addColumn('case_id', 'text')
      .addColumn('cluster_id', 'text')
      .addColumn('reserved_by', 'text')
      .addColumn('reserved_at', ts, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('cases_cve_org').on('cases_cve').columns(['org_id', 'state']).execute();
    await db.schema.createIndex('cases_cve_case').on('cases_cve').columns(['case_id', 'cluster_id']).execute();
  },
};
