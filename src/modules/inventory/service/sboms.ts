import type { ServiceContext } from '../../../platform/context.js';
import { writeTogether, type Executor, type Page, type PageRequest } from '../../../platform/db/index.js';
import { InputError, NotFoundError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { groupBy } from '../../../platform/collections.js';
import { trackWork, visibleTo } from '../../identity/index.js';
import { parseSbom } from '../domain/sbom-parse.js';
import {
  presentAsset,
  presentComponent,
  presentMatch,
  presentSbom,
  type ComponentMatch,
  type Sbom,
  type SbomComponent,
  type UploadResult,
} from '../presenters.js';
import { updateAssetStatement } from '../store/assets.js';
import { appendChanges } from '../store/changes.js';
import {
  deleteMatchesOfSbomStatement,
  insertMatchesStatements,
  listSbomMatches as listSbomMatchRows,
  matchesOfSbom,
} from '../store/matches.js';
import { advisoryLabels, visibleAdvisoryIds } from '../store/advisories.js';
import { findSbom, insertSbomStatements, listComponents, listSboms as listSbomRows, supersedeStatement } from '../store/sboms.js';
import type { AssetRow, ComponentRow, MatchRow, SbomRow } from '../store/tables.js';
import { requireReadable, requireWritable } from './access.js';
import { assetForUpload, readableAsset, readableUploadAsset, uploadTarget, type NewAssetInput, type UploadTarget } from './assets.js';
import { SBOM_UPLOADED, type SbomUploadedPayload } from '../events.js';
import { exposureChangeStatements, type ExposureChange } from './exposure-events.js';
import { withUploadLockAfter, type LockedWork } from './match-lock.js';
import { canonicalColumn, componentRows, forwardMatchRows, forwardVerdicts, refOfRow } from './match-rows.js';
import type { InventoryIndexes } from './match-indexes.js';

export interface UploadSbomInput {
  /** An existing asset to add a version to… */
  readonly assetId?: string | undefined;
  /** …or an asset found by name in the organisation (created if new), with the fields the upload states. */
  readonly asset?: NewAssetInput | undefined;
  /** The document exactly as uploaded. */
  readonly bytes: Uint8Array;
}

export interface MatchSummary {
  /** Components × advisories that affect them. */
  readonly affected: number;
  /** Components × advisories that name their package but cannot decide (a component without a version, …). */
  readonly unknown: number;
  /** Distinct advisories with an `affected` match. */
  readonly advisories: number;
}

/**
 * The counts an upload answers with (and audits), over the advisories the uploader may see: an operator
 * is not told that a RED advisory it was not given matches its software (DESIGN §5, derived data).
 */
async function visibleSummary(ctx: ServiceContext, executor: Executor, rows: readonly MatchRow[]): Promise<MatchSummary> {
  const visible = await visibleAdvisoryIds(executor, [...new Set(rows.map((r) => r.advisory_id))], (table) => visibleTo(ctx.actor, table));
  return summarize(rows.filter((r) => visible.has(r.advisory_id)));
}

function summarize(rows: readonly MatchRow[]): MatchSummary {
  const affected = rows.filter((r) => r.status === 'affected');
  return {
    affected: affected.length,
    unknown: rows.length - affected.length,
    advisories: new Set(affected.map((r) => r.advisory_id)).size,
  };
}

/** Per advisory, whether this asset's match set changed between two SBOM versions (indices differ; content counts). */
function exposureChanges(asset: AssetRow, before: readonly MatchRow[], after: readonly MatchRow[]): ExposureChange[] {
  const signature = (rows: readonly MatchRow[]): Map<string, string[]> => {
    const out = groupBy(
      rows,
      (r) => r.advisory_id,
      (r) => `${r.purl}|${r.version}|${r.status}|${canonicalColumn(r.fixed)}`,
    );
    for (const list of out.values()) list.sort();
    return out;
  };
  const old = signature(before);
  const next = signature(after);
  const affects = (rows: readonly MatchRow[], id: string): boolean => rows.some((r) => r.advisory_id === id && r.status === 'affected');
  const party = { assetId: asset.id, orgId: asset.owner_org_id, sector: asset.sector };
  return [...new Set([...old.keys(), ...next.keys()])]
    .sort()
    .filter((id) => JSON.stringify(old.get(id) ?? []) !== JSON.stringify(next.get(id) ?? []))
    .map((advisoryId) => {
      const now = affects(after, advisoryId);
      return { advisoryId, affected: now ? [party] : [], cleared: !now && affects(before, advisoryId) ? [party] : [] };
    });
}

async function recordVersion(
  ctx: ServiceContext,
  { trx, beforeAppend }: Pick<LockedWork<unknown>, 'trx' | 'beforeAppend'>,
  asset: AssetRow,
  currentId: string | null,
  row: SbomRow,
  matches: readonly MatchRow[],
  components: readonly ComponentRow[],
): Promise<{ seq: number; summary: MatchSummary }> {
  const previous = currentId === null ? [] : await matchesOfSbom(trx, currentId);
  // What the uploader may see of the advisories matched, and the labels its exposure events carry: one read.
  const labels = await advisoryLabels(trx, [...new Set([...matches, ...previous].map((m) => m.advisory_id))], (table) =>
    visibleTo(ctx.actor, table),
  );
  const visible = new Set(labels.filter((label) => label.visible).map((label) => label.id));
  const summary = summarize(matches.filter((m) => visible.has(m.advisory_id)));
  const payload: SbomUploadedPayload = {
    assetId: asset.id,
    sbomId: row.id,
    version: row.version,
    components: row.component_count,
    affectedComponents: summary.affected,
  };
  // The version, its components and matches, the one it replaces superseded and unmatched, the asset moved to
  // it, its events and their jobs: one statement on PostgreSQL, with the change log's lock that the append after
  // it needs. From there to the commit every other upload waits, so only the append and the audit entry (whose
  // head every audited write waits for) come after it. The events go in it, not before it (issue 20): each
  // statement before it is a turn of a busy event loop under the inventory lock, which exclusive waiters wait out.
  await writeTogether(trx, ctx.db.caps, [
    ...(await ctx.events.emitStatements(trx, { type: SBOM_UPLOADED, subjectId: row.id, orgId: asset.owner_org_id, payload })),
    ...(await exposureChangeStatements(ctx, trx, 'sbom-uploaded', exposureChanges(asset, previous, matches), asset.owner_org_id, labels)),
    ...insertSbomStatements(trx, row, components),
    ...(currentId === null ? [] : [supersedeStatement(trx, currentId, row.created_at), deleteMatchesOfSbomStatement(trx, currentId)]),
    ...insertMatchesStatements(trx, matches),
    updateAssetStatement(trx, asset.id, { current_sbom_id: row.id, updated_at: row.created_at }),
    ...beforeAppend,
  ]);
  const seqs = await appendChanges(trx, ctx.db.caps, [{ kind: 'asset', subject_id: asset.id, at: row.created_at }]);
  await ctx.audit.record(trx, ctx.actor, {
    action: 'inventory.sbom.upload',
    subject: { type: 'sbom', id: row.id },
    orgId: asset.owner_org_id,
    diff: {
      assetId: asset.id,
      version: row.version,
      sha256: row.blob_sha256,
      format: `${row.format} ${row.spec_version} ${row.serialization}`,
      components: row.component_count,
      ...summary,
    },
  });
  return { seq: seqs?.first ?? 0, summary };
}

/**
 * Uploads an SBOM as the new inventory of an asset, and matches it against every advisory (forward match).
 * The document is parsed first (a bad one changes nothing), stored raw by SHA-256, then recorded with its
 * components and matches in one transaction; the previous version is kept, superseded. The same bytes as
 * the current version are idempotent (`created: false`).
 * @throws UnsupportedMediaTypeError, InputError (`sbom-malformed`, `sbom-not-inventory`), PayloadTooLargeError
 * for a document that cannot be read; NotFoundError for an asset or organisation the caller may not see;
 * NotAllowedError for viewers and non-operator organisations.
 */
export async function uploadSbom(ctx: ServiceContext, input: UploadSbomInput): Promise<UploadResult> {
  if (input.assetId === undefined && input.asset === undefined) {
    throw new InputError('name the asset: an asset id, or an asset name with its fields', [{ pointer: '/asset', detail: 'is required' }]);
  }
  const parsed = parseSbom(input.bytes);
  let target: UploadTarget | null = null;
  let orgId: string;
  if (input.assetId !== undefined) {
    orgId = (await readableAsset(ctx, ctx.db.kysely, input.assetId)).owner_org_id;
    requireWritable(ctx.actor, orgId, `asset ${input.assetId}`);
  } else {
    target = await uploadTarget(ctx, input.asset?.orgId);
    orgId = target.orgId;
  }
  // Nothing accepted is lost (DESIGN §5): the raw bytes are durable before anything refers to them.
  const blob = await ctx.blobs.put(input.bytes);
  const { result, work } = await trackWork(ctx, 'inventory.sbom.upload', () => recordUpload(ctx, input, orgId, target, parsed, blob));
  return { ...result, work };
}

function recordUpload(
  ctx: ServiceContext,
  input: UploadSbomInput,
  orgId: string,
  target: UploadTarget | null,
  parsed: ReturnType<typeof parseSbom>,
  blob: { readonly sha256: string; readonly size: number },
): Promise<Omit<UploadResult, 'work'>> {
  const id = newId('sbom');
  const components = componentRows(id, parsed);
  // Matched before the lock against the indexes as they stand, and again under it only if they moved.
  const match = (indexes: InventoryIndexes) => forwardVerdicts(components, indexes);
  // An asset's organisation never changes: its uploads are the organisation's.
  return withUploadLockAfter(ctx, orgId, match, async ({ trx, indexes, ahead: early, afterCommit, beforeAppend }) => {
    // The asset, its newest version's number and its current SBOM's hash: one read (issue 20: an upload's reads
    // run under the inventory lock, each a turn of a busy event loop that exclusive waiters wait out).
    const {
      latest_version: latest,
      current_sha256: currentSha256,
      ...asset
    } = target === null
      ? await readableUploadAsset(ctx, trx, input.assetId ?? '')
      : await assetForUpload(ctx, trx, target, input.asset ?? {});
    const current =
      currentSha256 === blob.sha256 && asset.current_sbom_id !== null ? await findSbom(trx, asset.current_sbom_id) : undefined;
    if (current !== undefined) {
      return {
        created: false,
        asset: presentAsset(asset),
        sbom: presentSbom(current),
        matches: await visibleSummary(ctx, trx, await matchesOfSbom(trx, current.id)),
      };
    }
    const now = ctx.clock.now().toISOString();
    const row: SbomRow = {
      id,
      asset_id: asset.id,
      owner_org_id: asset.owner_org_id,
      version: latest + 1,
      blob_sha256: blob.sha256,
      size: blob.size,
      format: parsed.format,
      spec_version: parsed.specVersion,
      serialization: parsed.serialization,
      document_name: parsed.name,
      component_count: components.length,
      unmatched_count: components.filter((c) => c.unmatched_reason !== null).length,
      warnings: JSON.stringify(parsed.warnings),
      created_by: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
      created_at: now,
      superseded_at: null,
    };
    const matches = forwardMatchRows(components, early, indexes, { assetId: asset.id, orgId: asset.owner_org_id }, now);
    const { seq, summary } = await recordVersion(ctx, { trx, beforeAppend }, asset, asset.current_sbom_id, row, matches, components);
    const refs = components.flatMap((c) => refOfRow(c) ?? []);
    afterCommit(() => indexes.applyLocal(seq, seq, (i) => i.setAssetInventory(asset.id, asset.owner_org_id, id, refs)));
    return {
      created: true,
      asset: presentAsset({ ...asset, current_sbom_id: id, updated_at: now }),
      sbom: presentSbom(row),
      matches: summary,
    };
  });
}

/** An asset's SBOM versions, newest first. */
export async function listSboms(ctx: ServiceContext, assetId: string, request: PageRequest): Promise<Page<Sbom>> {
  await readableAsset(ctx, ctx.db.kysely, assetId);
  const page = await listSbomRows(ctx.db.kysely, assetId, request);
  return { items: page.items.map(presentSbom), nextCursor: page.nextCursor };
}

async function readableSbom(ctx: ServiceContext, id: string): Promise<SbomRow> {
  const row = await findSbom(ctx.db.kysely, id);
  if (row === undefined) throw new NotFoundError(`no SBOM ${id}`);
  requireReadable(ctx.actor, row.owner_org_id, `SBOM ${id}`);
  return row;
}

export async function getSbom(ctx: ServiceContext, id: string): Promise<Sbom> {
  return presentSbom(await readableSbom(ctx, id));
}

/** An SBOM version's components in document order; `unmatched` keeps those advisories cannot reach. */
export async function listSbomComponents(
  ctx: ServiceContext,
  id: string,
  request: PageRequest & { unmatched?: boolean | undefined },
): Promise<Page<SbomComponent>> {
  await readableSbom(ctx, id);
  const page = await listComponents(ctx.db.kysely, id, request.unmatched ?? false, request);
  return { items: page.items.map(presentComponent), nextCursor: page.nextCursor };
}

/** An SBOM version's matches (forward match), against the advisories the caller may see. */
export async function listSbomMatches(ctx: ServiceContext, id: string, request: PageRequest): Promise<Page<ComponentMatch>> {
  await readableSbom(ctx, id);
  const page = await listSbomMatchRows(ctx.db.kysely, id, (table) => visibleTo(ctx.actor, table), request);
  return { items: page.items.map(presentMatch), nextCursor: page.nextCursor };
}
