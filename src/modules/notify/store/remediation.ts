import type { Executor, Page, PageRequest } from '../../../platform/db/index.js';
import { chunks, insertMany, paginate, type DialectCapabilities } from '../../../platform/db/index.js';
import { appendTo } from '../../../platform/collections.js';
import { t, type RemediationEventRow, type RemediationRow } from './tables.js';

/** The sort key of an item without a due date: after every real one. */
export const NO_DUE_DATE = '9999-12-31T23:59:59.999Z';

const COLUMNS = [
  'id',
  'org_id',
  'advisory_id',
  'asset_id',
  'asset_name',
  'sector',
  'notification_id',
  'status',
  'mitigation',
  'justification',
  'expires_at',
  'note',
  'decision',
  'due_at',
  'due_sort',
  'notified_at',
  'acknowledged_at',
  'closed_at',
  'last_reminder_at',
  'reported_at',
  'reported_by',
  'updated_at',
] as const satisfies readonly (keyof RemediationRow)[];

/** Creates items for newly notified (organisation, advisory, asset) triples; existing ones are left as they are. */
export async function insertItems(executor: Executor, caps: DialectCapabilities, rows: readonly RemediationRow[]): Promise<void> {
  await insertMany(
    executor,
    caps,
    'notify_remediation',
    COLUMNS,
    rows.map((r) => COLUMNS.map((c) => r[c])),
    { onConflictDoNothing: ['org_id', 'advisory_id', 'asset_id'] },
  );
}

/** The items of one organisation and advisory (all of its assets, or those named). */
export async function itemsOf(
  executor: Executor,
  orgId: string,
  advisoryId: string,
  assetIds?: readonly string[],
): Promise<RemediationRow[]> {
  return t(executor)
    .selectFrom('notify_remediation')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('advisory_id', '=', advisoryId)
    .$if(assetIds !== undefined, (q) => q.where('asset_id', 'in', assetIds === undefined || assetIds.length === 0 ? [''] : [...assetIds]))
    .orderBy('due_sort')
    .orderBy('asset_name')
    .execute();
}

/**
 * The items of these organisations, advisories and assets (every combination of them), each organisation and
 * advisory's in the order of {@link itemsOf}: by (organisation, advisory).
 */
export async function itemsOfEach(
  executor: Executor,
  orgIds: readonly string[],
  advisoryIds: readonly string[],
  assetIds: readonly string[],
): Promise<Map<string, RemediationRow[]>> {
  const out = new Map<string, RemediationRow[]>();
  if (advisoryIds.length === 0 || assetIds.length === 0) return out;
  for (const part of chunks(orgIds)) {
    const rows = await t(executor)
      .selectFrom('notify_remediation')
      .selectAll()
      .where('org_id', 'in', part)
      .where('advisory_id', 'in', advisoryIds)
      .where('asset_id', 'in', assetIds)
      .orderBy('due_sort')
      .orderBy('asset_name')
      .execute();
    for (const row of rows) appendTo(out, `${row.org_id}\u0000${row.advisory_id}`, row);
  }
  return out;
}

/** The items of these advisories for these organisations (every pair of them): what a deadline check needs. */
export async function itemsOfOrgs(
  executor: Executor,
  advisoryIds: readonly string[],
  orgIds: readonly string[],
): Promise<Pick<RemediationRow, 'id' | 'org_id' | 'advisory_id' | 'asset_id' | 'due_sort'>[]> {
  if (advisoryIds.length === 0 || orgIds.length === 0) return [];
  return t(executor)
    .selectFrom('notify_remediation')
    .select(['id', 'org_id', 'advisory_id', 'asset_id', 'due_sort'])
    .where('advisory_id', 'in', advisoryIds)
    .where('org_id', 'in', orgIds)
    .execute();
}

export async function findItem(executor: Executor, id: string): Promise<RemediationRow | undefined> {
  return t(executor).selectFrom('notify_remediation').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateItem(executor: Executor, id: string, changes: Partial<RemediationRow>): Promise<void> {
  await t(executor).updateTable('notify_remediation').set(changes).where('id', '=', id).execute();
}

/** The same changes to many items. */
export async function updateItems(executor: Executor, ids: readonly string[], changes: Partial<RemediationRow>): Promise<void> {
  for (const part of chunks(ids)) await t(executor).updateTable('notify_remediation').set(changes).where('id', 'in', part).execute();
}

export async function insertRemediationEvents(
  executor: Executor,
  caps: DialectCapabilities,
  rows: readonly RemediationEventRow[],
): Promise<void> {
  const columns = ['id', 'item_id', 'advisory_id', 'status', 'via', 'actor', 'details', 'at'] as const;
  await insertMany(
    executor,
    caps,
    'notify_remediation_event',
    columns,
    rows.map((r) => columns.map((c) => r[c])),
  );
}

const OPEN_STATUSES = ['notified', 'received', 'acknowledged'];

export interface ItemQuery {
  readonly advisoryId?: string;
  readonly openOnly?: boolean;
  readonly dueBefore?: string;
  readonly sector?: string;
}

/**
 * One organisation's items, soonest due first. `openOnly`: not closed, counting an accepted risk past its
 * expiry (`now`) as open again.
 */
export async function listItems(
  executor: Executor,
  orgId: string | null,
  query: ItemQuery,
  now: string,
  request: PageRequest,
): Promise<Page<RemediationRow>> {
  const q = t(executor)
    .selectFrom('notify_remediation')
    .selectAll()
    .$if(orgId !== null, (b) => b.where('org_id', '=', orgId ?? ''))
    .$if(query.advisoryId !== undefined, (b) => b.where('advisory_id', '=', query.advisoryId ?? ''))
    .$if(query.sector !== undefined, (b) => b.where('sector', '=', query.sector ?? ''))
    .$if(query.dueBefore !== undefined, (b) => b.where('due_sort', '<', query.dueBefore ?? ''))
    .$if(query.openOnly === true, (b) =>
      b.where((w) => w.or([w('status', 'in', OPEN_STATUSES), w.and([w('status', '=', 'risk_accepted'), w('expires_at', '<=', now)])])),
    );
  return paginate(q, request, {
    sort: 'notify_remediation.due_sort',
    id: 'notify_remediation.id',
    sortOf: (r) => r.due_sort,
    idOf: (r) => r.id,
  });
}

/** Every item of an advisory (the coordinators' view), with each item's reports, oldest first. */
export async function itemsOfAdvisory(executor: Executor, advisoryId: string): Promise<RemediationRow[]> {
  return t(executor)
    .selectFrom('notify_remediation')
    .selectAll()
    .where('advisory_id', '=', advisoryId)
    .orderBy('org_id')
    .orderBy('asset_name')
    .execute();
}

export async function eventsOfAdvisory(executor: Executor, advisoryId: string): Promise<RemediationEventRow[]> {
  return t(executor)
    .selectFrom('notify_remediation_event')
    .selectAll()
    .where('advisory_id', '=', advisoryId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/** Open items past their due date whose last reminder (if any) is older than `remindedBefore`. */
export async function overdueItems(executor: Executor, now: string, remindedBefore: string, limit: number): Promise<RemediationRow[]> {
  return t(executor)
    .selectFrom('notify_remediation')
    .selectAll()
    .where('due_sort', '<', now)
    .where((w) => w.or([w('status', 'in', OPEN_STATUSES), w.and([w('status', '=', 'risk_accepted'), w('expires_at', '<=', now)])]))
    .where((w) => w.or([w('last_reminder_at', 'is', null), w('last_reminder_at', '<=', remindedBefore)]))
    .orderBy('org_id')
    .orderBy('due_sort')
    .limit(limit)
    .execute();
}

export async function markReminded(executor: Executor, ids: readonly string[], at: string): Promise<void> {
  for (const part of chunks(ids)) {
    await t(executor).updateTable('notify_remediation').set({ last_reminder_at: at }).where('id', 'in', part).execute();
  }
}
