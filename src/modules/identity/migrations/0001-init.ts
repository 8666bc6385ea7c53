import type { Migration } from '../../../platform/db/index.js';

export const init: Migration = {
  name: '0001_init',
  async up(db, caps) {
    await db.schema
      .createTable('identity_org')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('name_key', 'text', (c) => c.notNull().unique())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('sectors', caps.types.json, (c) => c.notNull())
      .addColumn('created_at', caps.types.timestamp, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('identity_user')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('identity_org.id'))
      .addColumn('email', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('created_at', caps.types.timestamp, (c) => c.notNull())
      .addColumn('disabled_at', caps.types.timestamp)
      .execute();
    await db.schema.createIndex('identity_user_org').on('identity_user').columns(['org_id', 'id']).execute();
    await db.schema
      .createTable('identity_token')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('identity_user.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('hint', 'text', (c) => c.notNull())
      .addColumn('created_at', caps.types.timestamp, (c) => c.notNull())
      .addColumn('expires_at', caps.types.timestamp)
      .addColumn('last_used_at', caps.types.timestamp)
      .addColumn('revoked_at', caps.types.timestamp)
      .execute();
    await db.schema.createIndex('identity_token_user').on('identity_token').columns(['user_id', 'id']).execute();
    await db.schema
      .createTable('identity_recipient')
      .addColumn('record_id', 'text', (c) => c.notNull())
      .addColumn('org_id', 'text')
      .addColumn('user_id', 'text')
      .addColumn('scope', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('identity_recipient_record').on('identity_recipient').columns(['record_id', 'org_id']).execute();
    await db.schema.createIndex('identity_recipient_user').on('identity_recipient').columns(['user_id']).execute();
  },
};
