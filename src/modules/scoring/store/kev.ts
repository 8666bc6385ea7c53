import { paginate, type Executor, type Page, type PageRequest } from '../../../platform/db/index.js';
import { chunks, fromExcluded, t, type KevEntryRow, type KevImportRow } from './tables.js';

/** The entries CISA lists now (withdrawn ones left out). */
export async function listedKevEntries(executor: Executor): Promise<KevEntryRow[]> {
  return t(executor).selectFrom('scoring_kev_entry').selectAll().where('removed_at', 'is', null).orderBy('cve_id').execute();
}

/** The listed entries of these CVEs. */
export async function findKevEntries(executor: Executor, cveIds: readonly string[]): Promise<KevEntryRow[]> {
  const out: KevEntryRow[] = [];
  for (const ids of chunks(cveIds, 1000)) {
    out.push(
      ...(await t(executor)
        .selectFrom('scoring_kev_entry')
        .selectAll()
        .where('cve_id', 'in', ids)
        .where('removed_at', 'is', null)
        .execute()),
    );
  }
  return out;
}

export async function countListedKevEntries(executor: Executor): Promise<number> {
  const row = await t(executor)
    .selectFrom('scoring_kev_entry')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Inserts entries, or replaces them (bringing back a withdrawn one) when the CVE is known already. */
export async function upsertKevEntries(executor: Executor, rows: readonly KevEntryRow[]): Promise<void> {
  for (const part of chunks(rows)) {
    await t(executor)
      .insertInto('scoring_kev_entry')
      .values(part)
      .onConflict((oc) =>
        oc.column('cve_id').doUpdateSet({
          ...fromExcluded<KevEntryRow>([
            'vendor_project',
            'product',
            'vulnerability_name',
            'date_added',
            'due_date',
            'known_ransomware_campaign_use',
            'catalog_version',
            'date_released',
            'updated_at',
          ]),
          removed_at: null,
          removed_in_catalog: null,
        }),
      )
      .execute();
  }
}

export async function markKevEntriesRemoved(
  executor: Executor,
  cveIds: readonly string[],
  at: string,
  catalogVersion: string,
): Promise<void> {
  for (const ids of chunks(cveIds, 1000)) {
    await t(executor)
      .updateTable('scoring_kev_entry')
      .set({ removed_at: at, removed_in_catalog: catalogVersion, updated_at: at })
      .where('cve_id', 'in', ids)
      .execute();
  }
}

export async function insertKevImport(executor: Executor, row: KevImportRow): Promise<void> {
  await t(executor).insertInto('scoring_kev_import').values(row).execute();
}

/** The newest import: the catalog release held now. */
export async function lastKevImport(executor: Executor): Promise<KevImportRow | undefined> {
  return t(executor).selectFrom('scoring_kev_import').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** Imports, newest first. */
export async function listKevImports(executor: Executor, page: PageRequest): Promise<Page<KevImportRow>> {
  const query = t(executor).selectFrom('scoring_kev_import').selectAll();
  return paginate(query, page, {
    sort: 'scoring_kev_import.id',
    id: 'scoring_kev_import.id',
    sortOf: (r) => r.id,
    idOf: (r) => r.id,
    direction: 'desc',
  });
}
