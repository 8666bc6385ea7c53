import { sql } from 'kysely';
import { insertMany, type DialectCapabilities, type Executor } from '../../../platform/db/index.js';
import { chunks, t, type TransitionRow, type TriageRow } from './tables.js';

export async function findTriage(executor: Executor, clusterId: string): Promise<TriageRow | undefined> {
  return t(executor).selectFrom('validation_triage').selectAll().where('cluster_id', '=', clusterId).executeTakeFirst();
}

export async function findTriages(executor: Executor, clusterIds: readonly string[]): Promise<Map<string, TriageRow>> {
  const out = new Map<string, TriageRow>();
  for (const ids of chunks(clusterIds)) {
    for (const row of await t(executor).selectFrom('validation_triage').selectAll().where('cluster_id', 'in', ids).execute())
      out.set(row.cluster_id, row);
  }
  return out;
}

/** Every cluster still waiting in the queue (state received, active). */
export async function receivedClusters(executor: Executor): Promise<string[]> {
  const rows = await t(executor)
    .selectFrom('validation_triage')
    .select('cluster_id')
    .where('state', '=', 'received')
    .where('active', '=', 1)
    .execute();
  return rows.map((r) => r.cluster_id);
}

export async function insertTriage(executor: Executor, row: TriageRow): Promise<void> {
  await t(executor)
    .insertInto('validation_triage')
    .values(row)
    .onConflict((oc) => oc.column('cluster_id').doNothing())
    .execute();
}

export async function updateTriage(executor: Executor, clusterId: string, patch: Partial<Omit<TriageRow, 'cluster_id'>>): Promise<void> {
  await t(executor).updateTable('validation_triage').set(patch).where('cluster_id', '=', clusterId).execute();
}

export async function insertTransition(executor: Executor, row: TransitionRow): Promise<void> {
  await t(executor).insertInto('validation_transition').values(row).execute();
}

export async function transitionsOf(executor: Executor, clusterId: string): Promise<TransitionRow[]> {
  return t(executor)
    .selectFrom('validation_transition')
    .selectAll()
    .where('cluster_id', '=', clusterId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

export interface QueueFilter {
  readonly state: string;
  readonly reporterOrgId?: string | undefined;
}

/** The queue in order (score, then oldest, then id), as a query for keyset pages over `queue_key`. */
export function queueQuery(executor: Executor, filter: QueueFilter) {
  return t(executor)
    .selectFrom('validation_triage as tr')
    .selectAll('tr')
    .where('tr.state', '=', filter.state)
    .where('tr.active', '=', 1)
    .$if(filter.reporterOrgId !== undefined, (q) =>
      q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('validation_report as r')
            .select('r.finding_id')
            .whereRef('r.cluster_id', '=', 'tr.cluster_id')
            .where('r.reporter_org_id', '=', filter.reporterOrgId ?? ''),
        ),
      ),
    );
}

/**
 * Clusters an organisation could validate next, in queue order: received, with an open work slot, not
 * reported or already tried by it, and without a live claim of its own.
 */
export async function claimCandidates(executor: Executor, orgId: string, now: string, limit: number): Promise<TriageRow[]> {
  return t(executor)
    .selectFrom('validation_triage as tr')
    .selectAll('tr')
    .where('tr.state', '=', 'received')
    .where('tr.active', '=', 1)
    .where(sql<boolean>`exists (select 1 from validation_work w where w.cluster_id = tr.cluster_id and w.closed_at is null)`)
    .where(sql<boolean>`not exists (select 1 from validation_report r where r.cluster_id = tr.cluster_id and r.reporter_org_id = ${orgId})`)
    .where(
      sql<boolean>`not exists (select 1 from validation_attempt a where a.cluster_id = tr.cluster_id and a.validator_org_id = ${orgId})`,
    )
    .where(
      sql<boolean>`not exists (select 1 from validation_work w where w.cluster_id = tr.cluster_id and w.closed_at is null and w.claimed_org_id = ${orgId} and w.lease_expires_at > ${now})`,
    )
    .orderBy('tr.queue_key')
    .orderBy('tr.cluster_id')
    .limit(limit)
    .execute();
}

/** Whole triage rows written in multi-row statements, with what to do with those that exist. */
async function writeTriages(
  executor: Executor,
  caps: DialectCapabilities,
  rows: readonly TriageRow[],
  onExisting: { onConflictDoNothing: readonly string[] } | { onConflictUpdate: { key: readonly string[]; set: readonly string[] } },
): Promise<void> {
  const first = rows[0];
  if (first === undefined) return;
  const columns = Object.keys(first) as (keyof TriageRow)[];
  await insertMany(
    executor,
    caps,
    'validation_triage',
    columns,
    rows.map((r) => columns.map((c) => r[c])),
    onExisting,
  );
}

/** Inserts many triage entries at once; entries that exist already are left alone. */
export async function insertTriages(executor: Executor, caps: DialectCapabilities, rows: readonly TriageRow[]): Promise<void> {
  await writeTriages(executor, caps, rows, { onConflictDoNothing: ['cluster_id'] });
}

/**
 * Writes `columns` of many triage entries at once from whole rows: one multi-row statement per few thousand
 * entries instead of one UPDATE each. The rows must exist, read in the caller's transaction under their
 * clusters' locks (the statement is an upsert on `cluster_id`, the form of a multi-row update both databases
 * run); the columns not named are left as they are.
 */
export async function updateTriages(
  executor: Executor,
  caps: DialectCapabilities,
  rows: readonly TriageRow[],
  columns: readonly (keyof TriageRow)[],
): Promise<void> {
  if (columns.length > 0) await writeTriages(executor, caps, rows, { onConflictUpdate: { key: ['cluster_id'], set: columns } });
}
