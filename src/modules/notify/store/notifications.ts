import type { Executor, Page, PageRequest } from '../../../platform/db/index.js';
import { chunks, insertMany, paginate, type DialectCapabilities } from '../../../platform/db/index.js';
import { t, type NotificationRow } from './tables.js';

const COLUMNS = [
  'id',
  'org_id',
  'type',
  'dedup_key',
  'subject_id',
  'source_event_id',
  'tlp',
  'title',
  'facets',
  'body',
  'created_at',
  'read_at',
  'read_by',
] as const satisfies readonly (keyof NotificationRow)[];

/**
 * Inserts notifications, leaving out those whose (organisation, dedup key) exists already; answers the
 * rows that are stored now under those keys (new or earlier), so that a consumer run twice finds its own.
 */
export async function insertNotifications(
  executor: Executor,
  caps: DialectCapabilities,
  rows: readonly NotificationRow[],
): Promise<{ stored: Map<string, { id: string; created: boolean }> }> {
  await insertMany(
    executor,
    caps,
    'notify_notification',
    COLUMNS,
    rows.map((r) => COLUMNS.map((c) => r[c])),
    { onConflictDoNothing: ['org_id', 'dedup_key'] },
  );
  const wanted = new Map(rows.map((r) => [`${r.org_id}\u0000${r.dedup_key}`, r.id]));
  const stored = new Map<string, { id: string; created: boolean }>();
  for (const part of chunks(rows)) {
    const found = await t(executor)
      .selectFrom('notify_notification')
      .select(['id', 'org_id', 'dedup_key'])
      .where('dedup_key', 'in', [...new Set(part.map((r) => r.dedup_key))])
      .where('org_id', 'in', [...new Set(part.map((r) => r.org_id))])
      .execute();
    for (const f of found) {
      const key = `${f.org_id}\u0000${f.dedup_key}`;
      const mine = wanted.get(key);
      if (mine !== undefined) stored.set(key, { id: f.id, created: f.id === mine });
    }
  }
  return { stored };
}

export async function findNotification(executor: Executor, id: string): Promise<NotificationRow | undefined> {
  return t(executor).selectFrom('notify_notification').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findNotifications(executor: Executor, ids: readonly string[]): Promise<NotificationRow[]> {
  const out: NotificationRow[] = [];
  for (const part of chunks([...new Set(ids)])) {
    out.push(...(await t(executor).selectFrom('notify_notification').selectAll().where('id', 'in', part).execute()));
  }
  return out;
}

export interface InboxQuery {
  readonly unread?: boolean;
  readonly type?: string;
  readonly subjectId?: string;
}

/** An organisation's inbox, newest first. */
export async function listInbox(
  executor: Executor,
  orgId: string,
  query: InboxQuery,
  request: PageRequest,
): Promise<Page<NotificationRow>> {
  const q = t(executor)
    .selectFrom('notify_notification')
    .selectAll()
    .where('org_id', '=', orgId)
    .$if(query.unread === true, (b) => b.where('read_at', 'is', null))
    .$if(query.type !== undefined, (b) => b.where('type', '=', query.type ?? ''))
    .$if(query.subjectId !== undefined, (b) => b.where('subject_id', '=', query.subjectId ?? ''));
  return paginate(q, request, {
    sort: 'notify_notification.id',
    id: 'notify_notification.id',
    sortOf: (r) => r.id,
    idOf: (r) => r.id,
    direction: 'desc',
  });
}

export async function countUnread(executor: Executor, orgId: string): Promise<number> {
  const row = await t(executor)
    .selectFrom('notify_notification')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('org_id', '=', orgId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks notifications of one organisation read; answers how many changed. */
export async function markRead(executor: Executor, orgId: string, ids: readonly string[] | 'all', at: string, by: string): Promise<number> {
  const result = await t(executor)
    .updateTable('notify_notification')
    .set({ read_at: at, read_by: by })
    .where('org_id', '=', orgId)
    .where('read_at', 'is', null)
    .$if(ids !== 'all', (b) => b.where('id', 'in', ids === 'all' ? [] : [...ids]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
