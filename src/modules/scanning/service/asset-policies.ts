import { storedEnum, type Executor } from '../../../platform/db/index.js';
import { assetsTouchedBy, type AssetDeclaration } from '../domain/asset-scope.js';
import type { ScanTarget } from '../domain/scan-target.js';
import { ACTIVE_SCANNING_RULES, type AssetPolicy, type Blackout, type StandingConsent } from '../domain/scan-policy.js';
import type { Technique } from '../domain/techniques.js';
import type { WindowSpec } from '../domain/time-window.js';
import * as assets from '../store/assets.js';
import type { AssetRow } from '../store/tables.js';
import { storedTarget } from './targets.js';

/** A declared asset with its targets and policy, read for evaluation. */
export interface LoadedAsset {
  readonly row: AssetRow;
  readonly declaration: AssetDeclaration;
  readonly policy: AssetPolicy;
}

/** Assets with their declared targets, consents and blackouts. */
export async function loadAssets(executor: Executor, ids: readonly string[]): Promise<LoadedAsset[]> {
  const rows = await assets.assetsByIds(executor, ids);
  const [targetRows, consentRows, blackoutRows] = await Promise.all([
    assets.targetsOfAssets(executor, ids),
    assets.consentsOf(executor, ids),
    assets.blackoutsOf(executor, ids),
  ]);
  return rows.map((row) => {
    const targets = targetRows.filter((t) => t.asset_id === row.id).map(storedTarget);
    const consents: StandingConsent[] = consentRows
      .filter((c) => c.asset_id === row.id)
      .map((c) => ({
        id: c.id,
        scannerOrgId: c.scanner_org_id,
        techniques: JSON.parse(c.techniques) as Technique[],
        window: c.window === null ? null : (JSON.parse(c.window) as WindowSpec),
        maxIntensity: { requestsPerSecond: Number(c.max_requests_per_second), concurrency: c.max_concurrency },
      }));
    const blackouts: Blackout[] = blackoutRows
      .filter((b) => b.asset_id === row.id)
      .map((b) => ({ id: b.id, reason: b.reason, window: JSON.parse(b.window) as WindowSpec }));
    return {
      row,
      declaration: {
        assetId: row.id,
        hostnames: targets.flatMap((t) => (t.kind === 'hostname' ? [t.host] : [])),
        cidrs: targets.flatMap((t) => (t.kind === 'cidr' ? [t.block] : [])),
        products: targets.filter((t) => t.kind !== 'hostname' && t.kind !== 'cidr'),
      },
      policy: {
        assetId: row.id,
        name: row.name,
        operatorOrgId: row.owner_org_id,
        timeZone: row.time_zone,
        activeScanning: storedEnum(ACTIVE_SCANNING_RULES, row.active_scanning, 'scanning_asset.active_scanning'),
        consents,
        blackouts,
      },
    };
  });
}

/** The declared assets the targets touch, and the network targets no operator declared. */
export async function assetsReachedBy(
  executor: Executor,
  targets: readonly ScanTarget[],
): Promise<{
  readonly touched: LoadedAsset[];
  readonly byTarget: ReadonlyMap<string, readonly ScanTarget[]>;
  readonly undeclared: readonly ScanTarget[];
}> {
  // Network targets need every candidate (several adjacent blocks may together hold one); products only theirs.
  const loaded = await loadAssets(executor, await assets.assetIdsNear(executor, targets));
  const reach = assetsTouchedBy(
    targets,
    loaded.map((a) => a.declaration),
  );
  return { touched: loaded.filter((a) => reach.touched.has(a.row.id)), byTarget: reach.touched, undeclared: reach.undeclared };
}
