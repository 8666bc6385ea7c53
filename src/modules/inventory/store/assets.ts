import { paginate, type Executor, type Page, type PageRequest } from '../../../platform/db/index.js';
import { batches, t, type AssetRow } from './tables.js';

export async function insertAsset(executor: Executor, row: AssetRow): Promise<void> {
  await t(executor).insertInto('inventory_asset').values(row).execute();
}

export async function findAsset(executor: Executor, id: string): Promise<AssetRow | undefined> {
  return t(executor).selectFrom('inventory_asset').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findAssetByName(executor: Executor, orgId: string, nameKey: string): Promise<AssetRow | undefined> {
  return t(executor)
    .selectFrom('inventory_asset')
    .selectAll()
    .where('owner_org_id', '=', orgId)
    .where('name_key', '=', nameKey)
    .executeTakeFirst();
}

/** An asset as an upload to it needs it: with its newest SBOM version's number and its current SBOM's hash. */
export interface UploadAssetRow extends AssetRow {
  /** The highest version of its SBOMs (0 without any). */
  readonly latest_version: number;
  /** The SHA-256 of its current SBOM's bytes (null without one). */
  readonly current_sha256: string | null;
}

/**
 * {@link findAsset} (by id) or {@link findAssetByName} (by organisation and name key), with what an upload reads
 * of its SBOMs, in one statement: an upload reads them under the inventory lock (issue 20).
 */
export async function findUploadAsset(
  executor: Executor,
  where: { readonly id: string } | { readonly orgId: string; readonly nameKey: string },
): Promise<UploadAssetRow | undefined> {
  const row = await t(executor)
    .selectFrom('inventory_asset as a')
    .selectAll('a')
    .select((eb) => [
      eb
        .selectFrom('inventory_sbom as s')
        .select((e) => e.fn.max('s.version').as('v'))
        .whereRef('s.asset_id', '=', 'a.id')
        .as('latest_version'),
      eb.selectFrom('inventory_sbom as c').select('c.blob_sha256').whereRef('c.id', '=', 'a.current_sbom_id').as('current_sha256'),
    ])
    .$if('id' in where, (q) => q.where('a.id', '=', 'id' in where ? where.id : ''))
    .$if(!('id' in where), (q) =>
      q.where('a.owner_org_id', '=', 'orgId' in where ? where.orgId : '').where('a.name_key', '=', 'nameKey' in where ? where.nameKey : ''),
    )
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const { latest_version, current_sha256, ...asset } = row;
  return { ...asset, latest_version: Number(latest_version ?? 0), current_sha256: current_sha256 ?? null };
}

export async function findAssets(executor: Executor, ids: readonly string[]): Promise<AssetRow[]> {
  const out: AssetRow[] = [];
  for (const chunk of batches(ids))
    out.push(...(await t(executor).selectFrom('inventory_asset').selectAll().where('id', 'in', chunk).execute()));
  return out;
}

/** Assets of one organisation, or of all when `orgId` is undefined (the caller decided who may see all). */
export async function listAssets(executor: Executor, orgId: string | undefined, page: PageRequest): Promise<Page<AssetRow>> {
  const query = t(executor)
    .selectFrom('inventory_asset')
    .selectAll()
    .$if(orgId !== undefined, (q) => q.where('owner_org_id', '=', orgId ?? ''));
  return paginate(query, page, { sort: 'inventory_asset.id', id: 'inventory_asset.id', sortOf: (r) => r.id, idOf: (r) => r.id });
}

type AssetFields = Partial<
  Pick<AssetRow, 'name' | 'name_key' | 'sector' | 'criticality' | 'internet_facing' | 'current_sbom_id' | 'updated_at'>
>;

export async function updateAsset(executor: Executor, id: string, fields: AssetFields): Promise<void> {
  await updateAssetStatement(executor, id, fields).execute();
}

/** {@link updateAsset} as a statement, for `writeTogether`. */
export function updateAssetStatement(executor: Executor, id: string, fields: AssetFields) {
  return t(executor).updateTable('inventory_asset').set(fields).where('id', '=', id);
}
