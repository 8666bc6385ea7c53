import { serializeOn } from '../../../platform/db/index.js';
import { blobColumns, retainedPage, retainedRecord, type RetentionSource } from '../../../platform/retention.js';
import { appendChange } from './changes.js';

/**
 * Inventory's records for retention: SBOMs, each with the components read from it. An SBOM counts as
 * `superseded` once a newer one replaced it for its asset. Deleting an asset's current SBOM (an operator's
 * removal request) takes the inventory lock and logs an asset change, so every process's match index drops it.
 */

interface SbomRow {
  id: string;
  asset_id: string;
  owner_org_id: string;
  blob_sha256: string;
  created_at: string;
  superseded_at: string | null;
}

// The lock of inventory's service/match-lock.ts: uploads, advisory changes and this purge take it in turn.
const INVENTORY_LOCK = 'inventory.match';

export const inventoryRetention: RetentionSource = {
  module: 'inventory',
  dataClasses: ['sbom'],
  async records(db, query) {
    if (query.dataClass !== 'sbom') return [];
    const base = db.selectFrom('inventory_sbom').select(['id', 'asset_id', 'owner_org_id', 'blob_sha256', 'created_at', 'superseded_at']);
    const rows = (await retainedPage(base, { id: 'id', org: 'owner_org_id' }, query).execute()) as SbomRow[];
    return rows.map((r) =>
      retainedRecord(
        'sbom',
        { id: r.id, ownerOrgId: r.owner_org_id, createdAt: r.created_at, belongsTo: [r.asset_id] },
        {
          anchors: r.superseded_at === null ? { created: r.created_at } : { created: r.created_at, superseded: r.superseded_at },
          blobs: [r.blob_sha256],
        },
      ),
    );
  },
  async content(db, dataClass, ids) {
    if (dataClass !== 'sbom' || ids.length === 0) return [];
    return (await db
      .selectFrom('inventory_sbom')
      .select([
        'id',
        'asset_id',
        'version',
        'format',
        'spec_version',
        'document_name',
        'component_count',
        'blob_sha256',
        'created_at',
        'superseded_at',
      ])
      .where('id', 'in', [...ids])
      .execute()) as Record<string, unknown>[];
  },
  async purge(trx, dataClass, ids, context) {
    if (dataClass !== 'sbom' || ids.length === 0) return [];
    const rows = (await trx
      .selectFrom('inventory_sbom')
      .select(['id', 'asset_id', 'superseded_at'])
      .where('id', 'in', [...ids])
      .execute()) as Pick<SbomRow, 'id' | 'asset_id' | 'superseded_at'>[];
    if (rows.length === 0) return [];
    const current = rows.filter((r) => r.superseded_at === null);
    if (current.length > 0) await serializeOn(trx, context.caps, INVENTORY_LOCK);
    const gone = rows.map((r) => r.id);
    await trx.deleteFrom('inventory_match').where('sbom_id', 'in', gone).execute();
    await trx.deleteFrom('inventory_component').where('sbom_id', 'in', gone).execute();
    await trx.deleteFrom('inventory_sbom').where('id', 'in', gone).execute();
    for (const assetId of new Set(current.map((r) => r.asset_id))) await appendChange(trx, context.caps, 'asset', assetId, context.now);
    return gone;
  },
};

export const inventoryBlobReferences = blobColumns('inventory', [{ table: 'inventory_sbom', column: 'blob_sha256' }]);
