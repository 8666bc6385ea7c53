import { randomBytes } from 'node:crypto';
import type { Executor } from '../../../platform/db/index.js';
import { t } from './tables.js';

const CURRENT = 'current';

/**
 * The server's key for signed remediation links: created on first use, the same for every process (the
 * first insert wins, the others read it back).
 */
export async function linkKey(executor: Executor, now: string): Promise<Buffer> {
  const existing = await t(executor).selectFrom('notify_link_key').select('key').where('id', '=', CURRENT).executeTakeFirst();
  if (existing !== undefined) return Buffer.from(existing.key, 'base64');
  await t(executor)
    .insertInto('notify_link_key')
    .values({ id: CURRENT, key: randomBytes(32).toString('base64'), created_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const row = await t(executor).selectFrom('notify_link_key').select('key').where('id', '=', CURRENT).executeTakeFirstOrThrow();
  return Buffer.from(row.key, 'base64');
}
