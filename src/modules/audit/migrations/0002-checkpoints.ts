import type { Migration } from '../../../platform/db/index.js';

/** Signed checkpoints of the chain head (domain/checkpoint.ts): one per head that was signed. */
export const checkpoints: Migration = {
  name: '0002_checkpoints',
  async up(db, caps) {
    await db.schema
      .createTable('audit_checkpoint')
      .addColumn('seq', caps.types.bigint, (c) => c.primaryKey())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('at', caps.types.timestamp, (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('signature', 'text', (c) => c.notNull())
      .execute();
  },
};
