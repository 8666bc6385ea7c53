import type { Migration } from '../../../platform/db/index.js';

/** Passwords (Argon2id hashes) and the console's server-side sessions. */
export const sessions: Migration = {
  name: '0002_sessions',
  async up(db, caps) {
    await db.schema
      .createTable('identity_password')
      .addColumn('user_id', 'text', (c) => c.primaryKey().references('identity_user.id'))
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('set_at', caps.types.timestamp, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('identity_session')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
      .addColumn('user_id', 'text', (c) => c.notNull().references('identity_user.id'))
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('created_at', caps.types.timestamp, (c) => c.notNull())
      .addColumn('expires_at', caps.types.timestamp, (c) => c.notNull())
      .addColumn('ended_at', caps.types.timestamp)
      .execute();
    await db.schema.createIndex('identity_session_user').on('identity_session').columns(['user_id', 'id']).execute();
  },
};
