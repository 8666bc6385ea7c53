import type { Expression, SqlBool } from 'kysely';
import type { Executor } from '../../../platform/db/index.js';
import { blobColumns } from '../../../platform/retention.js';
import { t, type AdvisoryRow, type RevisionRow } from './tables.js';

/** Queries of the advisories tables. Who may read what is decided by the service's condition, passed in. */

export async function advisoryOfCase(executor: Executor, caseId: string): Promise<AdvisoryRow | undefined> {
  return t(executor).selectFrom('advisories_advisory').selectAll().where('case_id', '=', caseId).executeTakeFirst();
}

/** The advisory by id or tracking id, if `readable` holds for it (aliased `a`). */
export async function findAdvisory(
  executor: Executor,
  idOrTrackingId: string,
  readable: Expression<SqlBool>,
): Promise<AdvisoryRow | undefined> {
  return t(executor)
    .selectFrom('advisories_advisory as a')
    .selectAll('a')
    .where((eb) => eb.or([eb('a.id', '=', idOrTrackingId), eb('a.tracking_id', '=', idOrTrackingId.toUpperCase())]))
    .where(readable)
    .executeTakeFirst();
}

/** Whether the advisory `id` meets `condition` (e.g. "its case is readable by the actor"). */
export async function advisoryMeets(executor: Executor, id: string, condition: Expression<SqlBool>): Promise<boolean> {
  const found = await t(executor)
    .selectFrom('advisories_advisory as a')
    .select('a.id')
    .where('a.id', '=', id)
    .where(condition)
    .executeTakeFirst();
  return found !== undefined;
}

/** The advisories the condition `readable` admits, optionally in one status: a query to page. */
export function readableAdvisories(executor: Executor, readable: Expression<SqlBool>, status?: AdvisoryRow['status']) {
  const q = t(executor).selectFrom('advisories_advisory as a').selectAll('a').where(readable);
  return status === undefined ? q : q.where('a.status', '=', status);
}

/** The drafts under TLP `label` that `readable` admits, most recently changed first. */
export async function draftsLabelled(executor: Executor, label: string, readable: Expression<SqlBool>): Promise<AdvisoryRow[]> {
  return t(executor)
    .selectFrom('advisories_advisory as a')
    .selectAll('a')
    .where('a.status', '=', 'draft')
    .where('a.tlp', '=', label)
    .where(readable)
    .orderBy('a.updated_at', 'desc')
    .orderBy('a.id')
    .execute();
}

export async function insertAdvisory(trx: Executor, row: AdvisoryRow): Promise<void> {
  await t(trx).insertInto('advisories_advisory').values(row).execute();
}

export async function updateAdvisory(trx: Executor, id: string, fields: Partial<AdvisoryRow>): Promise<void> {
  await t(trx).updateTable('advisories_advisory').set(fields).where('id', '=', id).execute();
}

export async function insertRevision(trx: Executor, row: RevisionRow): Promise<void> {
  await t(trx).insertInto('advisories_revision').values(row).execute();
}

/** Oldest first. */
export async function revisionsOf(executor: Executor, advisoryId: string): Promise<RevisionRow[]> {
  return t(executor).selectFrom('advisories_revision').selectAll().where('advisory_id', '=', advisoryId).orderBy('number').execute();
}

/** Every published advisory with its latest revision, newest change first: what the CSAF provider lists. */
export async function publishedAdvisories(executor: Executor): Promise<(AdvisoryRow & { revision: RevisionRow })[]> {
  const rows = await t(executor)
    .selectFrom('advisories_advisory as a')
    .innerJoin('advisories_revision as r', (j) => j.onRef('r.advisory_id', '=', 'a.id').onRef('r.number', '=', 'a.version'))
    .selectAll('a')
    .select([
      'r.number as r_number',
      'r.summary as r_summary',
      'r.document_sha256 as r_document_sha256',
      'r.sha256_file as r_sha256_file',
      'r.sha512_file as r_sha512_file',
      'r.asc_file as r_asc_file',
      'r.key_fingerprint as r_key_fingerprint',
      'r.published_by as r_published_by',
      'r.published_at as r_published_at',
    ])
    .where('a.status', '=', 'published')
    .orderBy('a.current_release_at', 'desc')
    .orderBy('a.id')
    .execute();
  return rows.map(
    ({
      r_number,
      r_summary,
      r_document_sha256,
      r_sha256_file,
      r_sha512_file,
      r_asc_file,
      r_key_fingerprint,
      r_published_by,
      r_published_at,
      ...a
    }) => ({
      ...a,
      revision: {
        advisory_id: a.id,
        number: r_number,
        summary: r_summary,
        document_sha256: r_document_sha256,
        sha256_file: r_sha256_file,
        sha512_file: r_sha512_file,
        asc_file: r_asc_file,
        key_fingerprint: r_key_fingerprint,
        published_by: r_published_by,
        published_at: r_published_at,
      },
    }),
  );
}

/** The blobs the advisories refer to: drafts and every file of every revision. The sweeper keeps them. */
export const advisoriesBlobReferences = blobColumns('advisories', [
  { table: 'advisories_advisory', column: 'draft_sha256' },
  { table: 'advisories_revision', column: 'document_sha256' },
  { table: 'advisories_revision', column: 'sha256_file' },
  { table: 'advisories_revision', column: 'sha512_file' },
  { table: 'advisories_revision', column: 'asc_file' },
]);
