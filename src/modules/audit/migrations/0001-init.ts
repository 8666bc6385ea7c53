import type { Migration } from '../../../platform/db/index.js';
import { GENESIS_HASH } from '../domain/chain.js';

export const init: Migration = {
  name: '0001_init',
  async up(db, caps) {
    await db.schema
      .createTable('audit_event')
      .addColumn('seq', caps.types.bigint, (c) => c.primaryKey())
      .addColumn('at', caps.types.timestamp, (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('actor_org_id', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('subject_type', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('org_id', 'text')
      // text, not jsonb: the exact bytes are hashed, and jsonb would reorder them.
      .addColumn('diff', 'text', (c) => c.notNull())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_event_subject').on('audit_event').columns(['subject_id', 'seq']).execute();
    await db.schema.createIndex('audit_event_org').on('audit_event').columns(['org_id', 'seq']).execute();
    await db.schema.createIndex('audit_event_actor_org').on('audit_event').columns(['actor_org_id', 'seq']).execute();
    await db.schema
      .createTable('audit_head')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('last_seq', caps.types.bigint, (c) => c.notNull())
      .addColumn('last_hash', 'text', (c) => c.notNull())
      .execute();
    await db.insertInto('audit_head').values({ id: 1, last_seq: 0, last_hash: GENESIS_HASH }).execute();
  },
};
