import { describeActor } from '../../../platform/actor.js';
import type { ServiceContext } from '../../../platform/context.js';
import { withTransaction, type Page, type PageRequest } from '../../../platform/db/index.js';
import { NotAllowedError, NotFoundError, PayloadTooLargeError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { FieldReader } from '../../../platform/input/field-reader.js';
import { actsForDeveloper, overseesReview } from '../domain/program-roles.js';
import { presentAccessLog, presentMaterial, type AccessLogEntry, type Material } from '../presenters.js';
import { liveGrantOf } from '../store/grants.js';
import { accessLog, materialsOf } from '../store/reviews.js';
import { findRow, insertRow } from '../store/tables.js';
import { requireUsable } from './grants.js';
import { actorOrgId, addTimeline, loadReview } from './records.js';

/** Largest review material (a system card, access instructions); stored in the blob store. */
export const MAX_MATERIAL_BYTES = 25 * 1024 * 1024;

/**
 * The developer adds review material for the grantees. The bytes go to the blob store (by SHA-256) before
 * the record is written. Audited as `frontier.material.create`.
 */
export async function addMaterial(
  ctx: ServiceContext,
  reviewId: string,
  input: { name?: unknown; mediaType?: unknown; bytes: Uint8Array },
): Promise<Material> {
  const r = new FieldReader();
  const name = r.text('/name', input.name, 255);
  const mediaType = r.optionalText('/mediaType', input.mediaType, 255) ?? 'application/octet-stream';
  if (input.bytes.length === 0) r.add('/body', 'must not be empty');
  r.done();
  if (input.bytes.length > MAX_MATERIAL_BYTES)
    throw new PayloadTooLargeError(`review material may be at most ${MAX_MATERIAL_BYTES} bytes`, MAX_MATERIAL_BYTES);
  const { review } = await loadReview(ctx, ctx.db.kysely, reviewId);
  if (!actsForDeveloper(ctx.actor, review.owner_org_id)) throw new NotAllowedError('only the developer adds review material');
  const blob = await ctx.blobs.put(input.bytes);
  return withTransaction(ctx.db, async (trx) => {
    const row = {
      id: newId('mat'),
      review_id: reviewId,
      name,
      media_type: mediaType,
      sha256: blob.sha256,
      size: blob.size,
      created_by: describeActor(ctx.actor),
      created_at: ctx.clock.now().toISOString(),
    };
    await insertRow(trx, 'frontier_material', row);
    await addTimeline(trx, ctx, reviewId, 'material.added', { materialId: row.id, name, sha256: blob.sha256, size: blob.size });
    await ctx.audit.record(trx, ctx.actor, {
      action: 'frontier.material.create',
      subject: { type: 'material', id: row.id },
      orgId: review.owner_org_id,
      diff: { reviewId, name, mediaType, sha256: blob.sha256, size: blob.size },
    });
    return presentMaterial(row);
  });
}

export async function listMaterials(ctx: ServiceContext, reviewId: string): Promise<Material[]> {
  await loadReview(ctx, ctx.db.kysely, reviewId);
  return (await materialsOf(ctx.db.kysely, reviewId)).map(presentMaterial);
}

/**
 * Downloads review material. The developer and the coordinator always may; a grantee only while its grant
 * on this review is usable (acknowledged, begun, not expired or revoked). Every download is logged in the
 * access log and audited as `frontier.material.download`.
 */
export async function downloadMaterial(
  ctx: ServiceContext,
  reviewId: string,
  materialId: string,
): Promise<{ material: Material; bytes: Buffer }> {
  return withTransaction(ctx.db, async (trx) => {
    const { review } = await loadReview(ctx, trx, reviewId);
    const material = await findRow(trx, 'frontier_material', materialId);
    if (material === undefined || material.review_id !== reviewId)
      throw new NotFoundError(`no material ${materialId} in review ${reviewId}`);
    const actor = ctx.actor;
    let grantId: string | null = null;
    if (!overseesReview(actor, review.owner_org_id)) {
      const grant = actor.kind === 'user' ? await liveGrantOf(trx, reviewId, actor.orgId) : undefined;
      if (grant === undefined) throw new NotAllowedError('access refused: your organisation holds no live grant on this review');
      requireUsable(grant, ctx.clock.now());
      grantId = grant.id;
    }
    const bytes = await ctx.blobs.get(material.sha256);
    if (bytes === null) throw new Error(`the blob ${material.sha256} of material ${materialId} is missing from the blob store`);
    const now = ctx.clock.now().toISOString();
    const row = {
      id: newId('access'),
      review_id: reviewId,
      grant_id: grantId,
      material_id: materialId,
      kind: 'download',
      org_id: actorOrgId(actor),
      actor: describeActor(actor),
      used_at: now,
      description: material.name,
      created_at: now,
    };
    await insertRow(trx, 'frontier_access_log', row);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'frontier.material.download',
      subject: { type: 'material', id: materialId },
      orgId: review.owner_org_id,
      diff: { reviewId, grantId, sha256: material.sha256 },
    });
    return { material: presentMaterial(material), bytes };
  });
}

/** The review's whole access log (every grantee's uses and downloads): the developer and the coordinator. */
export async function listReviewAccess(ctx: ServiceContext, reviewId: string, request: PageRequest): Promise<Page<AccessLogEntry>> {
  const { review } = await loadReview(ctx, ctx.db.kysely, reviewId);
  // Anyone else who may see the review sees only its own organisation's entries.
  const orgId = overseesReview(ctx.actor, review.owner_org_id) ? undefined : (actorOrgId(ctx.actor) ?? '');
  const page = await accessLog(ctx.db.kysely, { reviewId, orgId }, request);
  return { items: page.items.map(presentAccessLog), nextCursor: page.nextCursor };
}
