import type { Static } from '@sinclair/typebox';
import { storedEnum, storedEnumOrNull } from '../../platform/db/index.js';
import { EVALUATION_KINDS } from './domain/benchmarks.js';
import {
  ACCESS_KINDS,
  GRANT_SCOPE_KEYS,
  GRANT_STATUSES,
  GRANT_TERMS,
  grantStatus,
  grantUsable,
  type GrantTerm,
} from './domain/grant-rules.js';
import { RISK_STATUSES, SEVERITIES } from './domain/inputs.js';
import type { PartnerScore } from './domain/partner-scoring.js';
import type { FrontierPolicyDocument } from './domain/policy.js';
import { countdown, formatInZone, reviewState, REVIEW_OUTCOMES, type ReviewState } from './domain/review-window.js';
import { NOMINATION_STATUSES } from './domain/sign-off.js';
import { VERSION_STATUSES, type AgreementTerms } from './domain/testing-agreement.js';
import type { AgreementRow, AgreementVersionRow } from './store/agreements.js';
import {
  parseJson,
  type AccessLogRow,
  type DeterminationRow,
  type EvaluationRow,
  type GrantRow,
  type MaterialRow,
  type ModelRow,
  type NominationRow,
  type PolicyRow,
  type ReviewEventRow,
  type ReviewRow,
  type RiskFindingRow,
  type SignOffRow,
  type VulnerabilityRow,
} from './store/tables.js';
import type {
  AccessLogSchema,
  AgreementSchema,
  AgreementVersionSchema,
  DeterminationSchema,
  EvaluationSchema,
  GrantSchema,
  MaterialSchema,
  ModelSchema,
  NominationSchema,
  PolicySchema,
  ReviewSchema,
  RiskFindingSchema,
  TimelineEntrySchema,
  TransparencySchema,
  VulnerabilitySchema,
} from './routes/schemas.js';

/**
 * What the API and CLI show of each frontier record: the response schemas' types (routes/schemas.ts), so each
 * field is listed once and nothing else leaks. Stored enum columns are narrowed with `storedEnum`, which
 * refuses a value outside the domain's list rather than pass it on under the schema's promise.
 */

export type Policy = Static<typeof PolicySchema>;

export function presentPolicy(row: PolicyRow): Policy {
  return {
    ...parseJson<FrontierPolicyDocument>(row.document),
    version: row.version,
    note: row.note,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

export type Determination = Static<typeof DeterminationSchema>;

export function presentDetermination(row: DeterminationRow): Determination {
  return {
    id: row.id,
    modelId: row.model_id,
    covered: row.covered === 1,
    determinedByOrgId: row.determined_by_org_id,
    determinedAt: row.determined_at,
    policyVersion: row.policy_version,
    assessmentRef: row.assessment_ref,
    recordedBy: row.recorded_by,
    createdAt: row.created_at,
  };
}

export type Model = Static<typeof ModelSchema>;

export function presentModel(row: ModelRow, latest: DeterminationRow | undefined): Model {
  const determination = latest === undefined ? null : presentDetermination(latest);
  return {
    id: row.id,
    developerOrgId: row.owner_org_id,
    name: row.name,
    version: row.version,
    modality: row.modality,
    plannedRelease: row.planned_release,
    computeEstimateFlop: row.compute_estimate_flop,
    description: row.description,
    contacts: parseJson(row.contacts),
    coveredStatus: determination === null ? 'undetermined' : determination.covered ? 'covered' : 'not_covered',
    latestDetermination: determination,
    tlp: row.tlp,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export type Review = Static<typeof ReviewSchema>;

export function stateOf(row: ReviewRow, now: Date): ReviewState {
  return reviewState(
    {
      outcome: storedEnumOrNull(REVIEW_OUTCOMES, row.outcome, 'frontier_review.outcome'),
      windowStart: row.window_start,
      windowEnd: row.window_end,
    },
    now,
  );
}

export function presentReview(row: ReviewRow, now: Date): Review {
  const state = stateOf(row, now);
  return {
    id: row.id,
    modelId: row.model_id,
    developerOrgId: row.owner_org_id,
    state,
    windowStart: row.window_start,
    windowEnd: row.window_end,
    days: row.requested_days,
    timeZone: row.time_zone,
    windowStartLocal: formatInZone(row.window_start, row.time_zone),
    windowEndLocal: formatInZone(row.window_end, row.time_zone),
    policyVersion: row.policy_version,
    agreement:
      row.agreement_id === null || row.agreement_version === null ? null : { id: row.agreement_id, version: row.agreement_version },
    countdown: countdown(state, row.window_start, row.window_end, now),
    closedAt: row.closed_at,
    closedBy: row.closed_by,
    closeReason: row.close_reason,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export type TimelineEntry = Static<typeof TimelineEntrySchema>;

export function presentTimelineEntry(row: ReviewEventRow): TimelineEntry {
  return { at: row.at, kind: row.kind, actor: row.actor, actorOrgId: row.actor_org_id, detail: parseJson(row.detail) };
}

export type Grant = Static<typeof GrantSchema>;

export function presentGrant(row: GrantRow, now: Date): Grant {
  const stored = {
    status: storedEnum(GRANT_STATUSES, row.status, 'frontier_grant.status'),
    startsAt: row.starts_at,
    expiresAt: row.expires_at,
  };
  return {
    id: row.id,
    reviewId: row.review_id,
    modelId: row.model_id,
    developerOrgId: row.owner_org_id,
    granteeOrgId: row.grantee_org_id,
    nominationId: row.nomination_id,
    scope: storedEnum(GRANT_SCOPE_KEYS, row.scope, 'frontier_grant.scope'),
    terms: parseJson<GrantTerm[]>(row.terms).map((key) => ({ key, text: GRANT_TERMS[key] })),
    credentialRef: row.credential_ref,
    startsAt: row.starts_at,
    expiresAt: row.expires_at,
    status: grantStatus(stored, now),
    usable: grantUsable(stored, now),
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: row.acknowledged_by,
    endedAt: row.ended_at ?? (grantStatus(stored, now) === 'expired' ? row.expires_at : null),
    endReason: row.end_reason ?? (grantStatus(stored, now) === 'expired' ? 'expired' : null),
    revocationReason: row.revocation_reason,
    createdAt: row.created_at,
  };
}

export type AccessLogEntry = Static<typeof AccessLogSchema>;

export function presentAccessLog(row: AccessLogRow): AccessLogEntry {
  return {
    id: row.id,
    reviewId: row.review_id,
    grantId: row.grant_id,
    materialId: row.material_id,
    kind: storedEnum(ACCESS_KINDS, row.kind, 'frontier_access_log.kind'),
    orgId: row.org_id,
    actor: row.actor,
    usedAt: row.used_at,
    description: row.description,
    createdAt: row.created_at,
  };
}

export type Material = Static<typeof MaterialSchema>;

export function presentMaterial(row: MaterialRow): Material {
  return {
    id: row.id,
    reviewId: row.review_id,
    name: row.name,
    mediaType: row.media_type,
    sha256: row.sha256,
    size: row.size,
    createdAt: row.created_at,
  };
}

export type Evaluation = Static<typeof EvaluationSchema>;

export function presentEvaluation(row: EvaluationRow): Evaluation {
  return {
    id: row.id,
    reviewId: row.review_id,
    modelId: row.model_id,
    authorOrgId: row.owner_org_id,
    kind: storedEnum(EVALUATION_KINDS, row.kind, 'frontier_evaluation.kind'),
    title: row.title,
    filename: row.filename,
    sha256: row.blob_sha256,
    summary: parseJson(row.summary),
    measurements: parseJson(row.measurements),
    createdAt: row.created_at,
  };
}

export type RiskFinding = Static<typeof RiskFindingSchema>;

export function presentRiskFinding(row: RiskFindingRow): RiskFinding {
  return {
    id: row.id,
    reviewId: row.review_id,
    modelId: row.model_id,
    authorOrgId: row.owner_org_id,
    evaluationId: row.evaluation_id,
    title: row.title,
    severity: storedEnum(SEVERITIES, row.severity, 'frontier_risk_finding.severity'),
    description: row.description,
    recommendation: row.recommendation,
    status: storedEnum(RISK_STATUSES, row.status, 'frontier_risk_finding.status'),
    statusNote: row.status_note,
    statusBy: row.status_by,
    statusAt: row.status_at,
    createdAt: row.created_at,
  };
}

export type Vulnerability = Static<typeof VulnerabilitySchema>;

export function presentVulnerability(row: VulnerabilityRow): Vulnerability {
  return {
    id: row.id,
    reviewId: row.review_id,
    modelId: row.model_id,
    reportingOrgId: row.owner_org_id,
    tlp: row.tlp,
    title: row.title,
    description: row.description,
    target: parseJson(row.target),
    cwe: parseJson(row.cwe),
    severity: row.severity,
    cvssVector: row.cvss_vector,
    evidence: parseJson(row.evidence),
    provenance: parseJson(row.provenance),
    status: row.status,
    createdAt: row.created_at,
  };
}

export type Nomination = Static<typeof NominationSchema>;

/** The grants issued under nominations, as `grantsUnderNominations` reads them. */
export interface NominationGrants {
  readonly counts: ReadonlyMap<string, number>;
  readonly readable: readonly GrantRow[];
}

export function presentNomination(row: NominationRow, signOffs: readonly SignOffRow[], grants: NominationGrants): Nomination {
  return {
    id: row.id,
    modelId: row.model_id,
    candidateOrgId: row.candidate_org_id,
    nominatedByOrgId: row.nominated_by_org_id,
    nominatingSide: row.nominating_side,
    rationale: row.rationale,
    scope: storedEnum(GRANT_SCOPE_KEYS, row.scope, 'frontier_nomination.scope'),
    facts: parseJson(row.facts),
    status: storedEnum(NOMINATION_STATUSES, row.status, 'frontier_nomination.status'),
    score: parseJson<PartnerScore | null>(row.score),
    signOffs: signOffs
      .filter((s) => s.nomination_id === row.id)
      .map((s) => ({ orgId: s.org_id, side: s.side, userId: s.user_id, note: s.note, signedAt: s.signed_at })),
    selectedAt: row.selected_at,
    grants: {
      issued: grants.counts.get(row.id) ?? 0,
      readable: grants.readable
        .filter((g) => g.nomination_id === row.id)
        .map((g) => ({ id: g.id, reviewId: g.review_id, startsAt: g.starts_at, expiresAt: g.expires_at })),
    },
    createdAt: row.created_at,
  };
}

export type AgreementVersion = Static<typeof AgreementVersionSchema>;
export type Agreement = Static<typeof AgreementSchema>;

/** A stored agreement version's status, narrowed to the domain's list. */
export function versionStatus(row: AgreementVersionRow): AgreementVersion['status'] {
  return storedEnum(VERSION_STATUSES, row.status, 'frontier_agreement_version.status');
}

/** An agreement with its versions; `inForce` is the version in force (the domain's `versionInForce`), or null. */
export function presentAgreement(row: AgreementRow, versions: readonly AgreementVersionRow[], inForce: number | null): Agreement {
  return {
    id: row.id,
    title: row.title,
    developerOrgId: row.developer_org_id,
    governmentOrgId: row.government_org_id,
    status: row.ended_at !== null ? 'ended' : inForce !== null ? 'in_force' : 'proposed',
    versionInForce: inForce,
    versions: versions.map((v) => ({
      version: v.version,
      status: versionStatus(v),
      terms: parseJson<AgreementTerms>(v.terms),
      note: v.note,
      proposedBy: v.proposed_by,
      proposedByOrgId: v.proposed_by_org_id,
      proposedAt: v.proposed_at,
      policyVersion: v.policy_version,
      developerSignedBy: v.developer_signed_by,
      developerSignedAt: v.developer_signed_at,
      governmentSignedBy: v.government_signed_by,
      governmentSignedAt: v.government_signed_at,
      inForceAt: v.in_force_at,
      closedAt: v.closed_at,
    })),
    createdAt: row.created_at,
    endedAt: row.ended_at,
    endedByOrgId: row.ended_by_org_id,
    endReason: row.end_reason,
  };
}

/** The transparency view: aggregate program metrics and the criteria in force, for anyone. */
export type Transparency = Static<typeof TransparencySchema>;
