import type { Measurement } from './domain/benchmarks.js';
import { GRANT_TERMS, grantStatus, grantUsable, type GrantStatus, type GrantTerm } from './domain/grant-rules.js';
import type { PartnerScore } from './domain/partner-scoring.js';
import type { FrontierPolicy, FrontierPolicyDocument } from './domain/policy.js';
import { countdown, formatInZone, reviewState, type Countdown, type ReviewOutcome, type ReviewState } from './domain/review-window.js';
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

/** What the API and CLI show of each frontier record. Fields are listed, so nothing else leaks. */

export function presentPolicy(row: PolicyRow): FrontierPolicy {
  return {
    ...parseJson<FrontierPolicyDocument>(row.document),
    version: row.version,
    note: row.note,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

export interface Determination {
  readonly id: string;
  readonly modelId: string;
  readonly covered: boolean;
  readonly determinedByOrgId: string;
  readonly determinedAt: string;
  /** The policy version whose covered-model rule applied. */
  readonly policyVersion: number;
  /** Opaque reference to the assessment, which is never stored here. */
  readonly assessmentRef: string;
  readonly recordedBy: string;
  readonly createdAt: string;
}

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

export type CoveredStatus = 'covered' | 'not_covered' | 'undetermined';

export interface Model {
  readonly id: string;
  readonly developerOrgId: string;
  readonly name: string;
  readonly version: string;
  readonly modality: string;
  /** The developer's planned release: informational, and only the developer ever changes it. */
  readonly plannedRelease: string;
  readonly computeEstimateFlop: number | null;
  readonly description: string | null;
  readonly contacts: readonly { name: string; email: string; role: string | null }[];
  readonly coveredStatus: CoveredStatus;
  readonly latestDetermination: Determination | null;
  readonly tlp: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

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

export interface Review {
  readonly id: string;
  readonly modelId: string;
  readonly developerOrgId: string;
  readonly state: ReviewState;
  /** Exact instants, UTC. */
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly days: number;
  readonly timeZone: string;
  /** The same instants as local time in `timeZone`, with the offset. */
  readonly windowStartLocal: string;
  readonly windowEndLocal: string;
  readonly policyVersion: number;
  /** The voluntary testing agreement version in force when the review opened, if one covered the model. */
  readonly agreement: { readonly id: string; readonly version: number } | null;
  readonly countdown: Countdown;
  readonly closedAt: string | null;
  readonly closedBy: string | null;
  readonly closeReason: string | null;
  readonly createdBy: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export function stateOf(row: ReviewRow, now: Date): ReviewState {
  return reviewState({ outcome: row.outcome as ReviewOutcome | null, windowStart: row.window_start, windowEnd: row.window_end }, now);
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

export interface TimelineEntry {
  readonly at: string;
  readonly kind: string;
  /** User id, or `system:<name>` for the program's own jobs. */
  readonly actor: string;
  readonly actorOrgId: string | null;
  readonly detail: unknown;
}

export function presentTimelineEntry(row: ReviewEventRow): TimelineEntry {
  return { at: row.at, kind: row.kind, actor: row.actor, actorOrgId: row.actor_org_id, detail: parseJson(row.detail) };
}

export interface Grant {
  readonly id: string;
  readonly reviewId: string;
  readonly modelId: string;
  readonly developerOrgId: string;
  readonly granteeOrgId: string;
  readonly nominationId: string | null;
  readonly scope: string;
  readonly terms: readonly { key: GrantTerm; text: string }[];
  /** Where the developer's own system issues credentials; the clearinghouse never holds them. */
  readonly credentialRef: string | null;
  readonly startsAt: string;
  readonly expiresAt: string;
  readonly status: GrantStatus;
  /** True while the grantee may use it: acknowledged, begun and not ended. */
  readonly usable: boolean;
  readonly acknowledgedAt: string | null;
  readonly acknowledgedBy: string | null;
  readonly endedAt: string | null;
  readonly endReason: string | null;
  readonly revocationReason: string | null;
  readonly createdAt: string;
}

export function presentGrant(row: GrantRow, now: Date): Grant {
  const stored = { status: row.status as GrantStatus, startsAt: row.starts_at, expiresAt: row.expires_at };
  return {
    id: row.id,
    reviewId: row.review_id,
    modelId: row.model_id,
    developerOrgId: row.owner_org_id,
    granteeOrgId: row.grantee_org_id,
    nominationId: row.nomination_id,
    scope: row.scope,
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

export interface AccessLogEntry {
  readonly id: string;
  readonly reviewId: string;
  readonly grantId: string | null;
  readonly materialId: string | null;
  readonly kind: 'use' | 'download';
  readonly orgId: string | null;
  readonly actor: string;
  readonly usedAt: string;
  readonly description: string | null;
  readonly createdAt: string;
}

export function presentAccessLog(row: AccessLogRow): AccessLogEntry {
  return {
    id: row.id,
    reviewId: row.review_id,
    grantId: row.grant_id,
    materialId: row.material_id,
    kind: row.kind as AccessLogEntry['kind'],
    orgId: row.org_id,
    actor: row.actor,
    usedAt: row.used_at,
    description: row.description,
    createdAt: row.created_at,
  };
}

export interface Material {
  readonly id: string;
  readonly reviewId: string;
  readonly name: string;
  readonly mediaType: string;
  readonly sha256: string;
  readonly size: number;
  readonly createdAt: string;
}

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

export interface Evaluation {
  readonly id: string;
  readonly reviewId: string;
  readonly modelId: string;
  readonly authorOrgId: string;
  readonly kind: 'inspect' | 'benchmark';
  readonly title: string;
  readonly filename: string | null;
  /** SHA-256 of the stored log, for Inspect imports. */
  readonly sha256: string | null;
  readonly summary: unknown;
  readonly measurements: readonly Measurement[];
  readonly createdAt: string;
}

export function presentEvaluation(row: EvaluationRow): Evaluation {
  return {
    id: row.id,
    reviewId: row.review_id,
    modelId: row.model_id,
    authorOrgId: row.owner_org_id,
    kind: row.kind as Evaluation['kind'],
    title: row.title,
    filename: row.filename,
    sha256: row.blob_sha256,
    summary: parseJson(row.summary),
    measurements: parseJson(row.measurements),
    createdAt: row.created_at,
  };
}

export interface RiskFinding {
  readonly id: string;
  readonly reviewId: string;
  readonly modelId: string;
  readonly authorOrgId: string;
  readonly evaluationId: string | null;
  readonly title: string;
  readonly severity: string;
  readonly description: string;
  readonly recommendation: string | null;
  readonly status: string;
  readonly statusNote: string | null;
  readonly statusBy: string | null;
  readonly statusAt: string | null;
  readonly createdAt: string;
}

export function presentRiskFinding(row: RiskFindingRow): RiskFinding {
  return {
    id: row.id,
    reviewId: row.review_id,
    modelId: row.model_id,
    authorOrgId: row.owner_org_id,
    evaluationId: row.evaluation_id,
    title: row.title,
    severity: row.severity,
    description: row.description,
    recommendation: row.recommendation,
    status: row.status,
    statusNote: row.status_note,
    statusBy: row.status_by,
    statusAt: row.status_at,
    createdAt: row.created_at,
  };
}

export interface Vulnerability {
  readonly id: string;
  readonly reviewId: string;
  readonly modelId: string;
  readonly reportingOrgId: string;
  readonly tlp: string;
  readonly title: string;
  readonly description: string;
  readonly target: unknown;
  readonly cwe: readonly string[];
  readonly severity: string | null;
  readonly cvssVector: string | null;
  readonly evidence: readonly { sha256: string; name: string; mediaType: string; size: number }[];
  readonly provenance: unknown;
  /** `reported`: handed to intake, which runs the normal validation path. */
  readonly status: string;
  readonly createdAt: string;
}

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

export interface Nomination {
  readonly id: string;
  readonly modelId: string;
  readonly candidateOrgId: string;
  readonly nominatedByOrgId: string | null;
  readonly nominatingSide: string;
  readonly rationale: string;
  readonly scope: string;
  readonly facts: unknown;
  readonly status: 'nominated' | 'selected';
  readonly score: PartnerScore | null;
  readonly signOffs: readonly { orgId: string; side: string; userId: string; note: string | null; signedAt: string }[];
  readonly selectedAt: string | null;
  /**
   * What selection gave the partner: a grant on each of the model's running reviews (and one on every review
   * opened later). `issued` counts them all; `readable` lists those the reader may read.
   */
  readonly grants: {
    readonly issued: number;
    readonly readable: readonly { id: string; reviewId: string; startsAt: string; expiresAt: string }[];
  };
  readonly createdAt: string;
}

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
    scope: row.scope,
    facts: parseJson(row.facts),
    status: row.status as Nomination['status'],
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
