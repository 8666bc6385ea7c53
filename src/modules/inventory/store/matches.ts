import type { Expression, SqlBool } from 'kysely';
import { chunks, paginate, type Executor, type Page, type PageRequest } from '../../../platform/db/index.js';
import { batches, t, type MatchRow } from './tables.js';

/** The access policy's SQL twin for the advisory table under the given alias (identity's `visibleTo`). */
export type Visible = (table: string) => Expression<SqlBool>;

/** Matches one delete names: 3 parameters each, well under either database's bound. */
const DELETE_BATCH = 200;

/** A match's identity: one component of one SBOM × one advisory. */
export const matchKey = (m: Pick<MatchRow, 'sbom_id' | 'component_idx' | 'advisory_id'>): string =>
  `${m.sbom_id}\u0000${m.component_idx}\u0000${m.advisory_id}`;

/** The statements that insert these matches (none for none), for `writeTogether`. */
export function insertMatchesStatements(executor: Executor, rows: readonly MatchRow[]) {
  return batches(rows).map((chunk) => t(executor).insertInto('inventory_match').values(chunk));
}

/**
 * The statements that write these matches over any of the same keys (none for none), for `writeTogether` beside
 * deletes of other keys: a changed verdict replaces its row where a delete and an insert of one key could not
 * go together (the parts of one PostgreSQL statement run in no set order).
 */
export function upsertMatchesStatements(executor: Executor, rows: readonly MatchRow[]) {
  return batches(rows).map((chunk) =>
    t(executor)
      .insertInto('inventory_match')
      .values(chunk)
      .onConflict((oc) =>
        oc.columns(['sbom_id', 'component_idx', 'advisory_id']).doUpdateSet((eb) => ({
          asset_id: eb.ref('excluded.asset_id'),
          owner_org_id: eb.ref('excluded.owner_org_id'),
          purl: eb.ref('excluded.purl'),
          version: eb.ref('excluded.version'),
          status: eb.ref('excluded.status'),
          confidence: eb.ref('excluded.confidence'),
          fixed: eb.ref('excluded.fixed'),
          reasons: eb.ref('excluded.reasons'),
          evidence: eb.ref('excluded.evidence'),
          matched_at: eb.ref('excluded.matched_at'),
        })),
      ),
  );
}

/**
 * The statements that delete these matches by their keys (none for none), for `writeTogether`: a few hundred in
 * one statement (an OR of primary-key triples, which both databases look up in the key's index one by one): a
 * re-imported advisory whose range moved replaces dozens of matches, which were one round trip each.
 */
export function deleteMatchesStatements(executor: Executor, rows: readonly Pick<MatchRow, 'sbom_id' | 'component_idx' | 'advisory_id'>[]) {
  return chunks(rows, DELETE_BATCH).map((chunk) =>
    t(executor)
      .deleteFrom('inventory_match')
      .where((eb) =>
        eb.or(
          chunk.map((row) =>
            eb.and([eb('sbom_id', '=', row.sbom_id), eb('component_idx', '=', row.component_idx), eb('advisory_id', '=', row.advisory_id)]),
          ),
        ),
      ),
  );
}

export async function deleteMatchesOfAdvisory(executor: Executor, advisoryId: string): Promise<void> {
  await t(executor).deleteFrom('inventory_match').where('advisory_id', '=', advisoryId).execute();
}

export function deleteMatchesOfSbomStatement(executor: Executor, sbomId: string) {
  return t(executor).deleteFrom('inventory_match').where('sbom_id', '=', sbomId);
}

/** The advisories that affect an asset (status `affected`). */
export async function advisoryIdsAffectingAsset(executor: Executor, assetId: string): Promise<string[]> {
  const rows = await t(executor)
    .selectFrom('inventory_match')
    .select('advisory_id')
    .distinct()
    .where('asset_id', '=', assetId)
    .where('status', '=', 'affected')
    .execute();
  return rows.map((r) => r.advisory_id).sort();
}

/** The matches of these advisories, in one query per few hundred. */
export async function matchesOfAdvisories(executor: Executor, advisoryIds: readonly string[]): Promise<MatchRow[]> {
  const out: MatchRow[] = [];
  for (const chunk of batches(advisoryIds))
    out.push(...(await t(executor).selectFrom('inventory_match').selectAll().where('advisory_id', 'in', chunk).execute()));
  return out;
}

export async function matchesOfSbom(executor: Executor, sbomId: string): Promise<MatchRow[]> {
  return t(executor)
    .selectFrom('inventory_match')
    .selectAll()
    .where('sbom_id', '=', sbomId)
    .orderBy('component_idx')
    .orderBy('advisory_id')
    .execute();
}

/** One SBOM's matches against advisories the reader may see, by component then advisory. */
export async function listSbomMatches(executor: Executor, sbomId: string, visible: Visible, page: PageRequest): Promise<Page<MatchRow>> {
  const query = t(executor)
    .selectFrom('inventory_match as m')
    .innerJoin('inventory_advisory as adv', 'adv.id', 'm.advisory_id')
    .selectAll('m')
    .where('m.sbom_id', '=', sbomId)
    .where(visible('adv'));
  return paginate(query, page, {
    sort: 'm.component_idx',
    id: 'm.advisory_id',
    sortOf: (r) => r.component_idx,
    idOf: (r) => r.advisory_id,
  });
}

/** One row per asset matched by any of the advisories, with the asset fields exposure is counted by. */
export interface ExposedAssetRow {
  asset_id: string;
  owner_org_id: string;
  sector: string | null;
  criticality: string;
  internet_facing: number;
  status: string;
}

export async function exposedAssets(executor: Executor, advisoryIds: readonly string[]): Promise<ExposedAssetRow[]> {
  if (advisoryIds.length === 0) return [];
  return t(executor)
    .selectFrom('inventory_match as m')
    .innerJoin('inventory_asset as a', 'a.id', 'm.asset_id')
    .select(['m.asset_id', 'm.owner_org_id', 'a.sector', 'a.criticality', 'a.internet_facing', 'm.status'])
    .distinct()
    .where('m.advisory_id', 'in', advisoryIds)
    .execute();
}

/** The advisories one organisation's inventory matches, visible to the reader, a page at a time. */
export async function advisoryIdsOfOrg(
  executor: Executor,
  orgId: string,
  visible: Visible,
  page: PageRequest,
): Promise<Page<{ advisory_id: string }>> {
  const query = t(executor)
    .selectFrom('inventory_match as m')
    .innerJoin('inventory_advisory as adv', 'adv.id', 'm.advisory_id')
    .select('m.advisory_id')
    .distinct()
    .where('m.owner_org_id', '=', orgId)
    .where(visible('adv'));
  return paginate(query, page, { sort: 'm.advisory_id', id: 'm.advisory_id', sortOf: (r) => r.advisory_id, idOf: (r) => r.advisory_id });
}

/** The organisations whose inventories the advisories match, a page at a time. */
export async function orgIdsMatching(
  executor: Executor,
  advisoryIds: readonly string[],
  page: PageRequest,
  among?: readonly string[],
): Promise<Page<{ owner_org_id: string }>> {
  const query = t(executor)
    .selectFrom('inventory_match as m')
    .select('m.owner_org_id')
    .distinct()
    .where('m.advisory_id', 'in', advisoryIds.length === 0 ? [''] : advisoryIds)
    .$if(among !== undefined, (q) => q.where('m.owner_org_id', 'in', among === undefined || among.length === 0 ? [''] : [...among]));
  return paginate(query, page, {
    sort: 'm.owner_org_id',
    id: 'm.owner_org_id',
    sortOf: (r) => r.owner_org_id,
    idOf: (r) => r.owner_org_id,
  });
}

/** Match rows with their asset's fields, for a set of organisations × advisories. */
export type MatchWithAsset = MatchRow & {
  asset_name: string;
  asset_sector: string | null;
  asset_criticality: string;
  asset_internet_facing: number;
};

export async function matchesFor(executor: Executor, orgIds: readonly string[], advisoryIds: readonly string[]): Promise<MatchWithAsset[]> {
  if (orgIds.length === 0 || advisoryIds.length === 0) return [];
  return t(executor)
    .selectFrom('inventory_match as m')
    .innerJoin('inventory_asset as a', 'a.id', 'm.asset_id')
    .selectAll('m')
    .select([
      'a.name as asset_name',
      'a.sector as asset_sector',
      'a.criticality as asset_criticality',
      'a.internet_facing as asset_internet_facing',
    ])
    .where('m.owner_org_id', 'in', orgIds)
    .where('m.advisory_id', 'in', advisoryIds)
    .orderBy('m.advisory_id')
    .orderBy('m.asset_id')
    .orderBy('m.component_idx')
    .execute();
}

/** Counts over one organisation's matches (advisories visible to the reader only), for the exposure summary. */
export async function orgMatchTotals(
  executor: Executor,
  orgId: string,
  visible: Visible,
): Promise<{ advisories: number; assets: number; affected: number; unknown: number }> {
  const row = await t(executor)
    .selectFrom('inventory_match as m')
    .innerJoin('inventory_advisory as adv', 'adv.id', 'm.advisory_id')
    .select((eb) => [
      eb.fn.count<number | string>('m.advisory_id').distinct().as('advisories'),
      eb.fn.count<number | string>('m.asset_id').distinct().as('assets'),
      eb.fn.sum<number | string | null>(eb.case().when('m.status', '=', 'affected').then(1).else(0).end()).as('affected'),
      eb.fn.sum<number | string | null>(eb.case().when('m.status', '=', 'unknown').then(1).else(0).end()).as('unknown'),
    ])
    .where('m.owner_org_id', '=', orgId)
    .where(visible('adv'))
    .executeTakeFirst();
  return {
    advisories: Number(row?.advisories ?? 0),
    assets: Number(row?.assets ?? 0),
    affected: Number(row?.affected ?? 0),
    unknown: Number(row?.unknown ?? 0),
  };
}
