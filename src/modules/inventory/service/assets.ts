import type { ServiceContext } from '../../../platform/context.js';
import { withTransaction, type Executor, type Page, type PageRequest } from '../../../platform/db/index.js';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { getOrg, isCoordinator } from '../../identity/index.js';
import { assetNameKey, parseAssetChanges, parseNewAsset, type AssetFields } from '../domain/asset.js';
import { presentAsset, type Asset } from '../presenters.js';
import {
  findAsset,
  findAssetByName,
  findUploadAsset,
  insertAsset,
  listAssets as listAssetRows,
  updateAsset as updateAssetRow,
  type UploadAssetRow,
} from '../store/assets.js';
import { advisoryIdsAffectingAsset } from '../store/matches.js';
import type { AssetRow } from '../store/tables.js';
import { requireReadable, requireWritable } from './access.js';
import { emitExposureChanges } from './exposure-events.js';

export interface NewAssetInput {
  readonly name?: unknown;
  readonly sector?: unknown;
  readonly criticality?: unknown;
  readonly internetFacing?: unknown;
  /** The operator it belongs to; default the caller's own organisation. */
  readonly orgId?: string | undefined;
}

/** The organisation an asset is created in: the given one, else the caller's. */
function targetOrg(ctx: ServiceContext, orgId: string | undefined): string {
  if (orgId !== undefined) return orgId;
  if (ctx.actor.kind === 'user') return ctx.actor.orgId;
  throw new InputError('name the operator organisation the asset belongs to', [{ pointer: '/orgId', detail: 'is required' }]);
}

/**
 * Checks that the actor may add assets to the organisation and that it is an operator; returns the
 * sector a new asset takes by default (the organisation's, when it works in exactly one).
 */
async function requireOperator(ctx: ServiceContext, orgId: string): Promise<AssetFields['sector']> {
  requireWritable(ctx.actor, orgId, `organisation ${orgId}`);
  const org = await getOrg(ctx, orgId);
  if (org.kind !== 'operator') throw new NotAllowedError(`${org.name} is a ${org.kind}; only operator organisations keep inventories`);
  return org.sectors.length === 1 ? (org.sectors[0] ?? null) : null;
}

function newAssetRow(ctx: ServiceContext, orgId: string, fields: AssetFields): AssetRow {
  const now = ctx.clock.now().toISOString();
  return {
    id: newId('ast'),
    owner_org_id: orgId,
    name: fields.name,
    name_key: assetNameKey(fields.name),
    sector: fields.sector,
    criticality: fields.criticality,
    internet_facing: fields.internetFacing ? 1 : 0,
    current_sbom_id: null,
    created_by: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
    created_at: now,
    updated_at: now,
  };
}

async function recordCreation(ctx: ServiceContext, trx: Executor, row: AssetRow): Promise<void> {
  await insertAsset(trx, row);
  await ctx.audit.record(trx, ctx.actor, {
    action: 'inventory.asset.create',
    subject: { type: 'asset', id: row.id },
    orgId: row.owner_org_id,
    diff: { name: row.name, sector: row.sector, criticality: row.criticality, internetFacing: row.internet_facing === 1 },
  });
}

/**
 * Registers an asset (a plant, a system) of an operator. Operator admins and analysts for their own
 * organisation; coordinator admins and analysts for any operator (`orgId`). Throws NotFoundError for an
 * organisation the caller may not see, NotAllowedError for viewers and non-operators, ConflictError
 * (`asset-name-taken`) when the organisation has an asset of that name.
 */
export async function createAsset(ctx: ServiceContext, input: NewAssetInput): Promise<Asset> {
  const orgId = targetOrg(ctx, input.orgId);
  const fields = parseNewAsset(input, await requireOperator(ctx, orgId));
  return withTransaction(
    ctx.db,
    async (trx) => {
      if (await findAssetByName(trx, orgId, assetNameKey(fields.name))) {
        throw new ConflictError(`the organisation has an asset named "${fields.name}" already`, { code: 'asset-name-taken' });
      }
      const row = newAssetRow(ctx, orgId, fields);
      await recordCreation(ctx, trx, row);
      return presentAsset(row);
    },
    { replayOnUniqueViolation: true },
  );
}

/** Where an upload goes, checked before its transaction (identity is read outside it). */
export interface UploadTarget {
  readonly orgId: string;
  readonly defaultSector: AssetFields['sector'];
}

/** Checks that the actor may upload to the organisation's assets; see {@link createAsset} for the rules. */
export async function uploadTarget(ctx: ServiceContext, orgId: string | undefined): Promise<UploadTarget> {
  const target = targetOrg(ctx, orgId);
  return { orgId: target, defaultSector: await requireOperator(ctx, target) };
}

/**
 * The asset an upload goes to: found by name in the organisation (its fields updated when the upload
 * states them) or created. Runs inside the upload's transaction.
 */
export async function assetForUpload(
  ctx: ServiceContext,
  trx: Executor,
  target: UploadTarget,
  input: NewAssetInput,
): Promise<UploadAssetRow> {
  const fields = parseNewAsset(input, target.defaultSector);
  const existing = await findUploadAsset(trx, { orgId: target.orgId, nameKey: assetNameKey(fields.name) });
  if (existing === undefined) {
    const row = newAssetRow(ctx, target.orgId, fields);
    await recordCreation(ctx, trx, row);
    return { ...row, latest_version: 0, current_sha256: null };
  }
  const { latest_version, current_sha256, ...row } = existing;
  const { name: _name, ...stated } = parseAssetChanges({
    sector: input.sector,
    criticality: input.criticality,
    internetFacing: input.internetFacing,
  });
  return { ...(await applyChanges(ctx, trx, row, stated)), latest_version, current_sha256 };
}

/** {@link readableAsset} with what an upload reads of its SBOMs, in one statement (see {@link findUploadAsset}). */
export async function readableUploadAsset(ctx: ServiceContext, executor: Executor, id: string): Promise<UploadAssetRow> {
  const row = await findUploadAsset(executor, { id });
  if (row === undefined) throw new NotFoundError(`no asset ${id}`);
  requireReadable(ctx.actor, row.owner_org_id, `asset ${id}`);
  return row;
}

/** Finds an asset the actor may read; NotFoundError otherwise. */
export async function readableAsset(ctx: ServiceContext, executor: Executor, id: string): Promise<AssetRow> {
  const row = await findAsset(executor, id);
  if (row === undefined) throw new NotFoundError(`no asset ${id}`);
  requireReadable(ctx.actor, row.owner_org_id, `asset ${id}`);
  return row;
}

export async function getAsset(ctx: ServiceContext, id: string): Promise<Asset> {
  return presentAsset(await readableAsset(ctx, ctx.db.kysely, id));
}

/**
 * Assets the caller may see: its own organisation's; the coordinator's are every operator's, or one
 * operator's with `orgId`. Another organisation's `orgId` lists nothing.
 */
export async function listAssets(ctx: ServiceContext, request: PageRequest & { orgId?: string | undefined }): Promise<Page<Asset>> {
  let orgId = request.orgId;
  if (!isCoordinator(ctx.actor)) {
    if (ctx.actor.kind !== 'user' || (orgId !== undefined && orgId !== ctx.actor.orgId)) return { items: [], nextCursor: null };
    orgId = ctx.actor.orgId;
  }
  const page = await listAssetRows(ctx.db.kysely, orgId, request);
  return { items: page.items.map(presentAsset), nextCursor: page.nextCursor };
}

async function applyChanges(ctx: ServiceContext, trx: Executor, row: AssetRow, changes: Partial<AssetFields>): Promise<AssetRow> {
  const next: AssetRow = {
    ...row,
    ...(changes.name === undefined ? {} : { name: changes.name, name_key: assetNameKey(changes.name) }),
    ...(changes.sector === undefined ? {} : { sector: changes.sector }),
    ...(changes.criticality === undefined ? {} : { criticality: changes.criticality }),
    ...(changes.internetFacing === undefined ? {} : { internet_facing: changes.internetFacing ? 1 : 0 }),
  };
  const fields = ['name', 'sector', 'criticality', 'internet_facing'] as const;
  const diff = Object.fromEntries(fields.filter((f) => next[f] !== row[f]).map((f) => [f, [row[f], next[f]]]));
  if (Object.keys(diff).length === 0) return row;
  if (next.name_key !== row.name_key && (await findAssetByName(trx, row.owner_org_id, next.name_key))) {
    throw new ConflictError(`the organisation has an asset named "${next.name}" already`, { code: 'asset-name-taken' });
  }
  const updatedAt = ctx.clock.now().toISOString();
  await updateAssetRow(trx, row.id, {
    name: next.name,
    name_key: next.name_key,
    sector: next.sector,
    criticality: next.criticality,
    internet_facing: next.internet_facing,
    updated_at: updatedAt,
  });
  await ctx.audit.record(trx, ctx.actor, {
    action: 'inventory.asset.update',
    subject: { type: 'asset', id: row.id },
    orgId: row.owner_org_id,
    diff,
  });
  // Exposure is weighed by these fields: every advisory that affects the asset is told.
  if (diff['sector'] !== undefined || diff['criticality'] !== undefined || diff['internet_facing'] !== undefined) {
    const party = { assetId: row.id, orgId: row.owner_org_id, sector: next.sector };
    const advisoryIds = await advisoryIdsAffectingAsset(trx, row.id);
    await emitExposureChanges(
      ctx,
      trx,
      'asset-updated',
      advisoryIds.map((advisoryId) => ({ advisoryId, affected: [party], cleared: [] })),
      row.owner_org_id,
    );
  }
  return { ...next, updated_at: updatedAt };
}

/** Changes an asset's name, sector, criticality or internet exposure. Same rights as {@link createAsset}. */
export async function updateAsset(
  ctx: ServiceContext,
  id: string,
  input: { name?: unknown; sector?: unknown; criticality?: unknown; internetFacing?: unknown },
): Promise<Asset> {
  const changes = parseAssetChanges(input);
  return withTransaction(
    ctx.db,
    async (trx) => {
      const row = await readableAsset(ctx, trx, id);
      requireWritable(ctx.actor, row.owner_org_id, `asset ${id}`);
      return presentAsset(await applyChanges(ctx, trx, row, changes));
    },
    { replayOnUniqueViolation: true },
  );
}
