import type { Executor } from '../../../platform/db/index.js';
import type { ScanTarget } from '../domain/scan-target.js';
import { mayOverlap } from './network-filters.js';
import { t, type AssetRow, type AssetTargetRow, type BlackoutRow, type ConsentRow } from './tables.js';

export async function insertAsset(executor: Executor, row: AssetRow, targets: readonly AssetTargetRow[]): Promise<void> {
  await t(executor).insertInto('scanning_asset').values(row).execute();
  if (targets.length > 0)
    await t(executor)
      .insertInto('scanning_asset_target')
      .values([...targets])
      .execute();
}

export async function updateAsset(
  executor: Executor,
  id: string,
  change: Partial<Pick<AssetRow, 'name' | 'time_zone' | 'active_scanning' | 'updated_at'>>,
  targets?: readonly AssetTargetRow[],
): Promise<void> {
  await t(executor).updateTable('scanning_asset').set(change).where('id', '=', id).execute();
  if (targets === undefined) return;
  await t(executor).deleteFrom('scanning_asset_target').where('asset_id', '=', id).execute();
  if (targets.length > 0)
    await t(executor)
      .insertInto('scanning_asset_target')
      .values([...targets])
      .execute();
}

export async function findAsset(executor: Executor, id: string): Promise<AssetRow | undefined> {
  return t(executor).selectFrom('scanning_asset').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function assetsByIds(executor: Executor, ids: readonly string[]): Promise<AssetRow[]> {
  if (ids.length === 0) return [];
  return t(executor)
    .selectFrom('scanning_asset')
    .selectAll()
    .where('id', 'in', [...ids])
    .orderBy('id')
    .execute();
}

export async function listAssets(executor: Executor, ownerOrgId: string | null): Promise<AssetRow[]> {
  return t(executor)
    .selectFrom('scanning_asset')
    .selectAll()
    .$if(ownerOrgId !== null, (w) => w.where('owner_org_id', '=', ownerOrgId ?? ''))
    .orderBy('name')
    .orderBy('id')
    .execute();
}

export async function targetsOfAssets(executor: Executor, assetIds: readonly string[]): Promise<AssetTargetRow[]> {
  if (assetIds.length === 0) return [];
  return t(executor)
    .selectFrom('scanning_asset_target')
    .selectAll()
    .where('asset_id', 'in', [...assetIds])
    .orderBy('asset_id')
    .orderBy('position')
    .execute();
}

/** Ids of assets with a declared target that may overlap one of `targets` (the caller confirms). */
export async function assetIdsNear(executor: Executor, targets: readonly ScanTarget[]): Promise<string[]> {
  const rows = await t(executor)
    .selectFrom('scanning_asset_target as at')
    .select('at.asset_id')
    .distinct()
    .where(mayOverlap('at', targets))
    .execute();
  return rows.map((r) => r.asset_id);
}

export async function consentsOf(executor: Executor, assetIds: readonly string[]): Promise<ConsentRow[]> {
  if (assetIds.length === 0) return [];
  return t(executor)
    .selectFrom('scanning_consent')
    .selectAll()
    .where('asset_id', 'in', [...assetIds])
    .orderBy('id')
    .execute();
}

export async function blackoutsOf(executor: Executor, assetIds: readonly string[]): Promise<BlackoutRow[]> {
  if (assetIds.length === 0) return [];
  return t(executor)
    .selectFrom('scanning_blackout')
    .selectAll()
    .where('asset_id', 'in', [...assetIds])
    .orderBy('id')
    .execute();
}

export async function insertConsent(executor: Executor, row: ConsentRow): Promise<void> {
  await t(executor).insertInto('scanning_consent').values(row).execute();
}

export async function deleteConsent(executor: Executor, assetId: string, id: string): Promise<boolean> {
  const r = await t(executor).deleteFrom('scanning_consent').where('id', '=', id).where('asset_id', '=', assetId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function insertBlackout(executor: Executor, row: BlackoutRow): Promise<void> {
  await t(executor).insertInto('scanning_blackout').values(row).execute();
}

export async function deleteBlackout(executor: Executor, assetId: string, id: string): Promise<boolean> {
  const r = await t(executor).deleteFrom('scanning_blackout').where('id', '=', id).where('asset_id', '=', assetId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
