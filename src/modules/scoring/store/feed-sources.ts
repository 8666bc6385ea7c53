import type { Executor } from '../../../platform/db/index.js';
import { t, type FeedSourceRow } from './tables.js';

export async function listFeedSources(executor: Executor): Promise<FeedSourceRow[]> {
  return t(executor).selectFrom('scoring_feed_source').selectAll().orderBy('feed').execute();
}

export async function findFeedSource(executor: Executor, feed: string): Promise<FeedSourceRow | undefined> {
  return t(executor).selectFrom('scoring_feed_source').selectAll().where('feed', '=', feed).executeTakeFirst();
}

/** Sets where a feed is refreshed from, keeping the record of past attempts. */
export async function saveFeedSource(
  executor: Executor,
  row: Pick<FeedSourceRow, 'feed' | 'url' | 'enabled' | 'every_hours' | 'updated_by' | 'updated_at'>,
): Promise<void> {
  await t(executor)
    .insertInto('scoring_feed_source')
    .values({ ...row, last_attempt_at: null, last_success_at: null, last_error: null })
    .onConflict((oc) =>
      oc.column('feed').doUpdateSet({
        url: row.url,
        enabled: row.enabled,
        every_hours: row.every_hours,
        updated_by: row.updated_by,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

/** Records a refresh attempt: when, and the error (null on success). */
export async function recordFeedAttempt(executor: Executor, feed: string, at: string, error: string | null): Promise<void> {
  await t(executor)
    .updateTable('scoring_feed_source')
    .set(error === null ? { last_attempt_at: at, last_success_at: at, last_error: null } : { last_attempt_at: at, last_error: error })
    .where('feed', '=', feed)
    .execute();
}
