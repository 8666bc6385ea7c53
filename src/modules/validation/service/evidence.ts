import type { ServiceContext } from '../../../platform/context.js';
import { withTransaction } from '../../../platform/db/index.js';
import { InputError, NotFoundError, PayloadTooLargeError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import type { Tlp } from '../../../platform/tlp.js';
import { authorize, canSee, listOrgs, recipientsByRecord, setRecipients, visibleTo, type RecipientInput } from '../../identity/index.js';
import { parseEvidenceMeta } from '../domain/inputs.js';
import { presentEvidence, type Evidence } from '../presenters.js';
import type { EvidenceRow } from '../store/tables.js';
import { evidenceOfCluster, findAttempt, findEvidence, insertEvidence } from '../store/work.js';
import { asSystem, requireUnmerged, requireUser, visibleCluster } from './access.js';

/** The largest evidence file taken: proofs of concept, logs and step lists, not disk images. */
export const MAX_EVIDENCE_BYTES = 8 * 1024 * 1024;

export interface EvidenceUpload {
  readonly bytes: Uint8Array;
  readonly filename?: unknown;
  readonly kind?: unknown;
  readonly mediaType?: unknown;
  /** Default RED: the uploader and the users it names only. */
  readonly tlp?: unknown;
  readonly attemptId?: unknown;
  readonly recipients?: RecipientInput;
}

const defined = (input: Record<string, unknown>) => Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));

/**
 * Attaches evidence (a proof of concept, a log, reproduction steps) to a cluster the caller may see, or to
 * one of its organisation's validation attempts on it. Stored in the blob store; TLP:RED by default, so only
 * the uploader and the users it names see it; at lower labels the coordinator is a recipient like for every
 * report. Audited as `validation.evidence.create`.
 *
 * @throws NotFoundError, InputError (empty, bad metadata, an attempt not the caller's), PayloadTooLargeError
 *   beyond {@link MAX_EVIDENCE_BYTES}.
 */
export async function addEvidence(ctx: ServiceContext, clusterId: string, upload: EvidenceUpload): Promise<Evidence> {
  const user = requireUser(ctx.actor);
  const meta = parseEvidenceMeta(
    defined({ filename: upload.filename, kind: upload.kind, mediaType: upload.mediaType, tlp: upload.tlp, attemptId: upload.attemptId }),
  );
  requireUnmerged(await visibleCluster(ctx, clusterId));
  authorize(user, 'validation.evidence.upload');
  if (upload.bytes.length === 0) throw new InputError('the evidence file is empty', [{ pointer: '/body', detail: 'must not be empty' }]);
  if (upload.bytes.length > MAX_EVIDENCE_BYTES)
    throw new PayloadTooLargeError(
      `evidence files are limited to ${MAX_EVIDENCE_BYTES} bytes; this one has ${upload.bytes.length}`,
      MAX_EVIDENCE_BYTES,
    );
  if (meta.attemptId !== null) {
    const attempt = await findAttempt(ctx.db.kysely, meta.attemptId);
    if (attempt === undefined || attempt.cluster_id !== clusterId || attempt.validator_org_id !== user.orgId) {
      throw new InputError(`attemptId names no attempt of your organisation on cluster ${clusterId}`, [
        { pointer: '/attemptId', detail: 'must be your organisation’s attempt on this cluster' },
      ]);
    }
  }
  const blob = await ctx.blobs.put(upload.bytes);
  const coordinators = (await listOrgs(asSystem(ctx), { kind: 'coordinator', limit: 10 })).items.map((o) => o.id);
  const row: EvidenceRow = {
    id: newId('evd'),
    cluster_id: clusterId,
    attempt_id: meta.attemptId,
    owner_org_id: user.orgId,
    created_by: user.userId,
    tlp: meta.tlp,
    kind: meta.kind,
    filename: meta.filename,
    media_type: meta.mediaType,
    sha256: blob.sha256,
    size: blob.size,
    created_at: ctx.clock.now().toISOString(),
  };
  const recipients: RecipientInput = {
    ...upload.recipients,
    orgIds: [...new Set([...(upload.recipients?.orgIds ?? []), ...coordinators])].filter((id) => id !== user.orgId),
  };
  return withTransaction(ctx.db, async (trx) => {
    await insertEvidence(trx, row);
    await setRecipients(trx, row.id, recipients);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'validation.evidence.create',
      subject: { type: 'evidence', id: row.id },
      orgId: user.orgId,
      diff: {
        clusterId,
        attemptId: row.attempt_id,
        kind: row.kind,
        filename: row.filename,
        sha256: row.sha256,
        size: row.size,
        tlp: row.tlp,
        recipients,
      },
    });
    return presentEvidence(row);
  });
}

/** The evidence on a cluster the caller may see, filtered in SQL by the access policy, oldest first (at most 500). */
export async function listEvidence(ctx: ServiceContext, clusterId: string): Promise<Evidence[]> {
  await visibleCluster(ctx, clusterId);
  const rows = await evidenceOfCluster(ctx.db.kysely, clusterId, visibleTo(ctx.actor, 'e'));
  return rows.map(presentEvidence);
}

/** One evidence record's metadata; NotFoundError when the caller may not see it. */
export async function getEvidence(ctx: ServiceContext, id: string): Promise<Evidence> {
  const row = await findEvidence(ctx.db.kysely, id);
  const recipients = row === undefined ? [] : ((await recipientsByRecord(ctx.db.kysely, [id])).get(id) ?? []);
  if (
    row === undefined ||
    !canSee(ctx.actor, { ownerOrgId: row.owner_org_id, tlp: row.tlp as Tlp, createdBy: row.created_by, recipients })
  ) {
    throw new NotFoundError(`no evidence ${id}`);
  }
  return presentEvidence(row);
}

/** The bytes of an evidence file, for a download served as `application/octet-stream` attachment only. */
export async function downloadEvidence(ctx: ServiceContext, id: string): Promise<{ evidence: Evidence; bytes: Buffer }> {
  const evidence = await getEvidence(ctx, id);
  const bytes = await ctx.blobs.get(evidence.sha256);
  if (bytes === null) throw new Error(`the bytes of evidence ${id} (${evidence.sha256}) are missing from the blob store`);
  return { evidence, bytes };
}
