import { sql } from 'kysely';
import { setRecipients } from '../../identity/index.js';
import type { Executor } from '../../../platform/db/index.js';
import { deleteAnchorsOf } from './anchors.js';
import {
  blobColumns,
  retainedPage,
  retainedRecord,
  type RetainedRecord,
  type RetainedRecordsQuery,
  type RetentionSource,
} from '../../../platform/retention.js';
import { appendTo } from '../../../platform/collections.js';

/**
 * Intake's records for retention (governance decides, intake deletes): raw submissions (the stored bytes and
 * their submission record), normalized findings, and clusters — a cluster only once its findings are gone.
 * A submission not processed yet is never offered: nothing accepted is lost before it is read.
 */

interface Row {
  id: string;
  owner_org_id: string | null;
  created_at: string;
}

const parseList = (value: unknown): string[] =>
  typeof value === 'string' ? (JSON.parse(value) as string[]) : ((value as string[] | null) ?? []);

const own = (r: Row, belongsTo: string[] = []) => ({ id: r.id, ownerOrgId: r.owner_org_id, createdAt: r.created_at, belongsTo });

async function submissions(db: Executor, query: RetainedRecordsQuery): Promise<RetainedRecord[]> {
  const base = db
    .selectFrom('intake_submission')
    .select(['id', 'owner_org_id', 'created_at', 'sha256'])
    .where('status', 'not in', ['received', 'processing']);
  const rows = (await retainedPage(base, { id: 'id', org: 'owner_org_id' }, query).execute()) as (Row & { sha256: string })[];
  const clusters = new Map<string, string[]>();
  if (rows.length > 0) {
    const links = (await db
      .selectFrom('intake_finding')
      .select(['submission_id', 'cluster_id'])
      .distinct()
      .where(
        'submission_id',
        'in',
        rows.map((r) => r.id),
      )
      .execute()) as { submission_id: string; cluster_id: string }[];
    for (const l of links) appendTo(clusters, l.submission_id, l.cluster_id);
  }
  return rows.map((r) => retainedRecord('raw_submission', own(r), { clusterIds: clusters.get(r.id) ?? [], blobs: [r.sha256] }));
}

async function findings(db: Executor, query: RetainedRecordsQuery): Promise<RetainedRecord[]> {
  const base = db.selectFrom('intake_finding').select(['id', 'owner_org_id', 'created_at', 'cluster_id', 'submission_id']);
  const rows = (await retainedPage(base, { id: 'id', org: 'owner_org_id' }, query).execute()) as (Row & {
    cluster_id: string;
    submission_id: string;
  })[];
  return rows.map((r) => retainedRecord('finding', own(r, [r.cluster_id, r.submission_id]), { clusterIds: [r.cluster_id] }));
}

async function clusters(db: Executor, query: RetainedRecordsQuery): Promise<RetainedRecord[]> {
  const base = db
    .selectFrom('intake_cluster as c')
    .select([
      'c.id',
      'c.first_reporter_org_id as owner_org_id',
      'c.first_seen_at as created_at',
      sql<number>`(select count(*) from intake_finding f where f.cluster_id = c.id)`.as('findings'),
    ]);
  const rows = (await retainedPage(base, { id: 'c.id', org: 'c.first_reporter_org_id' }, query).execute()) as (Row & {
    findings: number | string;
  })[];
  return rows.map((r) => retainedRecord('cluster', own(r), { clusterIds: [r.id], dependents: Number(r.findings) }));
}

async function deleteReturning(trx: Executor, table: string, ids: readonly string[]): Promise<string[]> {
  const rows = (await trx
    .deleteFrom(table)
    .where('id', 'in', [...ids])
    .returning('id')
    .execute()) as { id: string }[];
  return rows.map((r) => r.id);
}

async function clearRecipients(trx: Executor, ids: readonly string[]): Promise<void> {
  for (const id of ids) await setRecipients(trx, id, {});
}

async function purgeEmptyClusters(trx: Executor, ids: string[]): Promise<string[]> {
  // Only clusters without findings are offered; the check here keeps one that gained a finding since.
  const empty = (await trx
    .selectFrom('intake_cluster as c')
    .select('c.id')
    .where('c.id', 'in', ids)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('intake_finding as f').select('f.id').whereRef('f.cluster_id', '=', 'c.id'))))
    .execute()) as { id: string }[];
  const gone = empty.map((r) => r.id);
  if (gone.length === 0) return [];
  await trx.deleteFrom('intake_cluster_key').where('cluster_id', 'in', gone).execute();
  await trx.deleteFrom('intake_lsh').where('cluster_id', 'in', gone).execute();
  await trx
    .deleteFrom('intake_candidate')
    .where((eb) => eb.or([eb('cluster_id', 'in', gone), eb('other_cluster_id', 'in', gone)]))
    .execute();
  await trx
    .deleteFrom('intake_regroup')
    .where((eb) => eb.or([eb('from_cluster_id', 'in', gone), eb('into_cluster_id', 'in', gone)]))
    .execute();
  return deleteReturning(trx, 'intake_cluster', gone);
}

const READERS: Readonly<Record<string, (db: Executor, query: RetainedRecordsQuery) => Promise<RetainedRecord[]>>> = {
  raw_submission: submissions,
  finding: findings,
  cluster: clusters,
};

const CONTENT: Readonly<Record<string, { table: string; columns: string[]; lists: string[] }>> = {
  raw_submission: {
    table: 'intake_submission',
    columns: ['id', 'filename', 'format', 'format_version', 'tlp', 'sha256', 'size', 'status', 'finding_count', 'created_at'],
    lists: [],
  },
  finding: {
    table: 'intake_finding',
    columns: ['id', 'submission_id', 'cluster_id', 'tlp', 'title', 'target_identity', 'cwes', 'tool', 'data', 'created_at'],
    lists: ['cwes', 'data'],
  },
  cluster: {
    table: 'intake_cluster',
    columns: ['id', 'title', 'target_identity', 'cwes', 'aliases', 'state', 'first_seen_at', 'finding_count'],
    lists: ['cwes', 'aliases'],
  },
};

export const intakeRetention: RetentionSource = {
  module: 'intake',
  dataClasses: ['raw_submission', 'finding', 'cluster'],
  async records(db, query) {
    return READERS[query.dataClass]?.(db, query) ?? [];
  },
  async content(db, dataClass, ids) {
    const spec = CONTENT[dataClass];
    if (spec === undefined || ids.length === 0) return [];
    const rows = (await db
      .selectFrom(spec.table)
      .select(spec.columns)
      .where('id', 'in', [...ids])
      .execute()) as Record<string, unknown>[];
    return rows.map((r) => ({
      ...r,
      ...Object.fromEntries(spec.lists.map((k) => [k, k === 'data' ? JSON.parse(String(r[k])) : parseList(r[k])])),
    }));
  },
  async purge(trx, dataClass, ids) {
    if (ids.length === 0) return [];
    if (dataClass === 'cluster') return purgeEmptyClusters(trx, [...ids]);
    if (dataClass === 'finding') {
      await trx
        .deleteFrom('intake_lsh')
        .where('finding_id', 'in', [...ids])
        .execute();
      await deleteAnchorsOf(trx, ids);
    }
    const table = dataClass === 'raw_submission' ? 'intake_submission' : dataClass === 'finding' ? 'intake_finding' : null;
    if (table === null) return [];
    const gone = await deleteReturning(trx, table, ids);
    await clearRecipients(trx, gone);
    return gone;
  },
};

export const intakeBlobReferences = blobColumns('intake', [{ table: 'intake_submission', column: 'sha256' }]);
