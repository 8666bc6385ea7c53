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
