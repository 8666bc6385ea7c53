import { sql } from 'kysely';
import type { Migration } from '../../../platform/db/index.js';

/**
 * The unread notifications of each organisation, newest first: every inbox page answers how many are unread,
 * and without this index that count read every notification the organisation ever got, read or not, from
 * the table (a soak's operators got some 450 a minute each, and each count grew with them). The index holds
 * the unread ones only, so the count reads no table row, and an `unread=true` page reads no read one.
 */
export const unreadIndex: Migration = {
  name: '0003_unread_index',
  async up(db) {
    await db.schema
      .createIndex('notify_notification_unread')
      .on('notify_notification')
      .columns(['org_id', 'id'])
      .where(sql.ref('read_at'), 'is', null)
      .execute();
  },
};
