import { insertMany, type Database } from '../../../platform/db/index.js';
import type { Clock } from '../../../platform/clock.js';
import { sha256Hex } from '../../../platform/hash.js';
import { newId } from '../../../platform/ids.js';
import type { Sector } from '../../identity/index.js';
import type { AssetCriticality } from '../domain/asset.js';
import { parseSbom } from '../domain/sbom-parse.js';
import { componentRows } from '../service/match-rows.js';
import { lastChangeSeq } from '../store/changes.js';

/**
 * A portfolio of operators with their assets and SBOMs, written in bulk for tests and benchmarks that need
 * thousands of operators (uploading them one by one through the service takes about 40 ms each). The rows
 * are those an upload writes — organisation, asset, SBOM version, components resolved by the same code,
 * a change-log entry per asset — minus the audit trail, the raw blob and the forward match: seed before
 * advisories are loaded, and let the reverse match find the operators.
 */
export interface PortfolioAsset {
  readonly name: string;
  readonly sector: Sector | null;
  readonly criticality: AssetCriticality;
  readonly internetFacing: boolean;
  /** The SBOM document's text. */
  readonly sbom: string;
}

export interface PortfolioOperator {
  readonly name: string;
  readonly sectors: readonly Sector[];
  readonly assets: readonly PortfolioAsset[];
}

export interface SeededOperator {
  readonly orgId: string;
  readonly assetIds: string[];
}

export async function seedPortfolio(db: Database, clock: Clock, operators: readonly PortfolioOperator[]): Promise<SeededOperator[]> {
  const now = clock.now().toISOString();
  const orgs: unknown[][] = [];
  const assets: unknown[][] = [];
  const sboms: unknown[][] = [];
  const components: unknown[][] = [];
  const changes: unknown[][] = [];
  const seeded: SeededOperator[] = [];
  let seq = await lastChangeSeq(db.kysely);
  for (const op of operators) {
    const orgId = newId('org');
    orgs.push([orgId, op.name, op.name.toLowerCase(), 'operator', JSON.stringify(op.sectors), now]);
    const assetIds: string[] = [];
    for (const a of op.assets) {
      const assetId = newId('ast');
      const sbomId = newId('sbom');
      const bytes = Buffer.from(a.sbom);
      const parsed = parseSbom(bytes);
      const rows = componentRows(sbomId, parsed);
      assets.push([
        assetId,
        orgId,
        a.name,
        a.name.toLowerCase(),
        a.sector,
        a.criticality,
        a.internetFacing ? 1 : 0,
        sbomId,
        null,
        now,
        now,
      ]);
      sboms.push([
        sbomId,
        assetId,
        orgId,
        1,
        sha256Hex(bytes),
        bytes.length,
        parsed.format,
        parsed.specVersion,
        parsed.serialization,
        parsed.name,
        rows.length,
        rows.filter((r) => r.unmatched_reason !== null).length,
        JSON.stringify(parsed.warnings),
        null,
        now,
        null,
      ]);
      for (const r of rows) {
        components.push([
          r.sbom_id,
          r.idx,
          r.ref,
          r.name,
          r.version,
          r.purl,
          r.cpe,
          r.ecosystem,
          r.package_name,
          r.package_key,
          r.unmatched_reason,
        ]);
      }
      changes.push([++seq, 'asset', assetId, now]);
      assetIds.push(assetId);
    }
    seeded.push({ orgId, assetIds });
  }
  await db.kysely.transaction().execute(async (trx) => {
    await insertMany(trx, db.caps, 'identity_org', ['id', 'name', 'name_key', 'kind', 'sectors', 'created_at'], orgs);
    await insertMany(
      trx,
      db.caps,
      'inventory_asset',
      [
        'id',
        'owner_org_id',
        'name',
        'name_key',
        'sector',
        'criticality',
        'internet_facing',
        'current_sbom_id',
        'created_by',
        'created_at',
        'updated_at',
      ],
      assets,
    );
    await insertMany(
      trx,
      db.caps,
      'inventory_sbom',
      [
        'id',
        'asset_id',
        'owner_org_id',
        'version',
        'blob_sha256',
        'size',
        'format',
        'spec_version',
        'serialization',
        'document_name',
        'component_count',
        'unmatched_count',
        'warnings',
        'created_by',
        'created_at',
        'superseded_at',
      ],
      sboms,
    );
    await insertMany(
      trx,
      db.caps,
      'inventory_component',
      ['sbom_id', 'idx', 'ref', 'name', 'version', 'purl', 'cpe', 'ecosystem', 'package_name', 'package_key', 'unmatched_reason'],
      components,
    );
    await insertMany(trx, db.caps, 'inventory_change', ['seq', 'kind', 'subject_id', 'at'], changes);
  });
  return seeded;
}
