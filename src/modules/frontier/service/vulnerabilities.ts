import { setRecipients } from '../../identity/index.js';
import type { ServiceContext } from '../../../platform/context.js';
import { withTransaction, type Executor, type Page, type PageRequest } from '../../../platform/db/index.js';
import { newId } from '../../../platform/ids.js';
import { parseVulnerability, type VulnerabilityInput } from '../domain/inputs.js';
import { presentVulnerability, type Vulnerability } from '../presenters.js';
import { insertRow, type ModelRow, type ReviewRow, type VulnerabilityRow } from '../store/tables.js';
import { requireTester } from './participants.js';
import { actorOrgId, actorUserId, addTimeline, coordinatorOrgIds, loadReview, loadVisible, pageOfReview } from './records.js';
import { FINDING_REPORTED } from '../events.js';

/** The native findings format intake reads (its `clearinghouse/findings@1` schema). */
const NATIVE_SCHEMA = 'clearinghouse/findings@1';

type Evidence = { sha256: string; name: string; mediaType: string; size: number };

/**
 * Everything intake needs to take a model-found vulnerability into the normal validation path, and — when
 * it names a target — the same finding as a native findings document intake can parse as it is.
 */
function reportedPayload(
  row: VulnerabilityRow,
  parsed: VulnerabilityInput,
  evidence: readonly Evidence[],
  model: ModelRow,
  recipients: { orgIds: string[]; userIds: string[] },
) {
  const provenance = { model: { name: model.name, version: model.version }, aiGenerated: true };
  return {
    findingId: row.id,
    reviewId: row.review_id,
    modelId: row.model_id,
    model: { name: model.name, version: model.version, developerOrgId: model.owner_org_id },
    reportingOrgId: row.owner_org_id,
    reportedBy: row.created_by,
    reportedAt: row.created_at,
    tlp: row.tlp,
    recipients,
    title: parsed.title,
    description: parsed.description,
    target: parsed.target,
    cwe: parsed.cwe,
    severity: parsed.severity,
    cvssVector: parsed.cvssVector,
    evidence,
    provenance: { ...provenance, modelId: row.model_id, reviewId: row.review_id },
    native:
      parsed.target === null
        ? null
        : {
            schema: NATIVE_SCHEMA,
            provenance,
            findings: [
              {
                id: row.id,
                target: parsed.target,
                title: parsed.title,
                description: parsed.description,
                ...(parsed.cwe.length > 0 ? { cwe: parsed.cwe } : {}),
                ...(parsed.cvssVector === null ? {} : { cvssVector: parsed.cvssVector }),
                ...(evidence.length > 0
                  ? { evidence: { proofOfConcept: evidence.map((e) => ({ sha256: e.sha256, name: e.name, mediaType: e.mediaType })) } }
                  : {}),
              },
            ],
          },
  };
}

/** Who a model-found vulnerability is shared with, by its label (TLP:RED: named people only). */
async function shareVulnerability(
  trx: Executor,
  ctx: ServiceContext,
  row: VulnerabilityRow,
  review: ReviewRow,
  userIds: readonly string[],
): Promise<{ orgIds: string[]; userIds: string[] }> {
  // At RED the developer's review owner is named, so the developer learns what its model found.
  const named = [...new Set([...(review.created_by === null ? [] : [review.created_by]), ...userIds])].filter((u) => u !== row.created_by);
  if (row.tlp === 'RED') {
    await setRecipients(trx, row.id, { userIds: named });
    return { orgIds: [], userIds: named };
  }
  const orgIds = [...new Set([review.owner_org_id, ...(await coordinatorOrgIds(ctx, trx))])];
  await setRecipients(trx, row.id, { orgIds, userIds: named });
  return { orgIds, userIds: named };
}

/**
 * Records a vulnerability the model found during testing, with its provenance (model and review),
 * TLP:RED by default, and hands it to intake through the `frontier.finding.reported` event, which carries
 * everything intake needs (title, description, target, CWE, severity and CVSS vector, evidence blobs,
 * model, review and reporting organisation). Evidence files are stored in the blob store first. By the
 * developer, the coordinator or a grantee of the review. Audited as `frontier.vulnerability.create`.
 */
export async function reportVulnerability(ctx: ServiceContext, reviewId: string, input: Record<string, unknown>): Promise<Vulnerability> {
  const parsed = parseVulnerability(input);
  const { review, model } = await loadReview(ctx, ctx.db.kysely, reviewId);
  await requireTester(ctx, ctx.db.kysely, review);
  const evidence: Evidence[] = [];
  for (const file of parsed.evidence) {
    const blob = await ctx.blobs.put(file.bytes);
    evidence.push({ sha256: blob.sha256, name: file.name, mediaType: file.mediaType, size: blob.size });
  }
  return withTransaction(ctx.db, async (trx) => {
    const row: VulnerabilityRow = {
      id: newId('vuln'),
      review_id: reviewId,
      model_id: review.model_id,
      owner_org_id: actorOrgId(ctx.actor) ?? review.owner_org_id,
      tlp: parsed.tlp,
      created_by: actorUserId(ctx.actor),
      title: parsed.title,
      description: parsed.description,
      target: JSON.stringify(parsed.target),
      cwe: JSON.stringify(parsed.cwe),
      severity: parsed.severity,
      cvss_vector: parsed.cvssVector,
      evidence: JSON.stringify(evidence),
      provenance: JSON.stringify({ model: { name: model.name, version: model.version }, modelId: model.id, reviewId, aiGenerated: true }),
      status: 'reported',
      created_at: ctx.clock.now().toISOString(),
    };
    await insertRow(trx, 'frontier_vulnerability', row);
    const recipients = await shareVulnerability(trx, ctx, row, review, parsed.recipientUserIds);
    await addTimeline(trx, ctx, reviewId, 'vulnerability.reported', { vulnerabilityId: row.id, tlp: row.tlp }, row.id);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'frontier.vulnerability.create',
      subject: { type: 'vulnerability', id: row.id },
      orgId: review.owner_org_id,
      diff: { reviewId, tlp: row.tlp, severity: row.severity, cwe: parsed.cwe, evidence: evidence.map((e) => e.sha256) },
    });
    await ctx.events.emit(trx, {
      type: FINDING_REPORTED,
      subjectId: row.id,
      orgId: row.owner_org_id,
      payload: reportedPayload(row, parsed, evidence, model, recipients),
    });
    return presentVulnerability(row);
  });
}

export async function listVulnerabilities(ctx: ServiceContext, reviewId: string, request: PageRequest): Promise<Page<Vulnerability>> {
  return pageOfReview(ctx, 'frontier_vulnerability', reviewId, request, presentVulnerability);
}

export async function getVulnerability(ctx: ServiceContext, id: string): Promise<Vulnerability> {
  return presentVulnerability(await loadVisible(ctx, ctx.db.kysely, 'frontier_vulnerability', id, 'vulnerability'));
}
