import type { Static } from '@sinclair/typebox';
import type { Tlp } from '../../platform/tlp.js';
import type { IndependenceConflict } from './domain/independence.js';
import type { ValidatorAssessmentInput } from './domain/inputs.js';
import type { QueueReason } from './domain/queue-score.js';
import { INVALID_REASON_LABELS, isInvalidReason, type ReportState } from './domain/report-states.js';
import type { AttemptRow, EvidenceRow, TransitionRow, TriageRow, WorkRow } from './store/tables.js';
import type {
  AttemptOutcomeSchema,
  AttemptSchema,
  EvidenceSchema,
  JobSchema,
  MyReportSchema,
  QueueFiguresSchema,
  QueueRowSchema,
  TransitionSchema,
  VerdictSchema,
} from './routes/schemas.js';

/**
 * What the API and CLI show: the response schemas' types (routes/schemas.ts), the fields listed there once.
 */
export type Attempt = Static<typeof AttemptSchema>;

export function presentAttempt(row: AttemptRow): Attempt {
  return {
    id: row.id,
    clusterId: row.cluster_id,
    jobId: row.job_id,
    validatorOrgId: row.validator_org_id,
    validatorUserId: row.validator_user_id,
    artifact: row.artifact,
    affectedBuild: row.affected_build,
    fixedBuild: row.fixed_build,
    environment: row.environment,
    reproducedOnAffected: row.reproduced_affected === 1,
    reproducedOnFixed: row.reproduced_fixed === null ? null : row.reproduced_fixed === 1,
    confirms: row.confirms === 1,
    conflicts: JSON.parse(row.conflicts) as IndependenceConflict[],
    notes: row.notes,
    steps: JSON.parse(row.steps) as string[],
    assessment: JSON.parse(row.assessment) as ValidatorAssessmentInput,
    createdAt: row.created_at,
  };
}

export type Evidence = Static<typeof EvidenceSchema>;

export function presentEvidence(row: EvidenceRow): Evidence {
  return {
    id: row.id,
    clusterId: row.cluster_id,
    attemptId: row.attempt_id,
    ownerOrgId: row.owner_org_id,
    createdBy: row.created_by,
    tlp: row.tlp as Tlp,
    kind: row.kind as Evidence['kind'],
    filename: row.filename,
    mediaType: row.media_type,
    sha256: row.sha256,
    size: Number(row.size),
    createdAt: row.created_at,
  };
}

export type ValidationJob = Static<typeof JobSchema>;

export function presentJob(row: WorkRow): ValidationJob {
  return {
    id: row.job_id,
    clusterId: row.cluster_id,
    claimedBy: row.claimed_user_id,
    claimedAt: row.claimed_at,
    leaseExpiresAt: row.lease_expires_at,
  };
}

export type Transition = Static<typeof TransitionSchema>;

export function presentTransition(row: TransitionRow, showActor: boolean): Transition {
  return {
    from: row.from_state as ReportState,
    to: row.to_state as ReportState,
    basis: row.basis,
    reason: row.reason,
    note: row.note,
    at: row.at,
    actor: showActor ? row.actor : null,
  };
}

export type VerdictView = Static<typeof VerdictSchema>;

export function presentVerdict(row: TriageRow): VerdictView | null {
  if (row.verdict === null) return null;
  const reason = row.invalid_reason;
  return {
    verdict: row.verdict,
    reason,
    reasonLabel: reason !== null && isInvalidReason(reason) ? INVALID_REASON_LABELS[reason] : null,
    note: row.verdict_note,
    duplicateOf: row.duplicate_of,
    decidedAt: row.decided_at,
  };
}

/**
 * A row of the triage queue; `why` says why the cluster sits where it does (severity, corroboration by the
 * reporters' precision, the arithmetic), as the domain placed it (`QueueReason`).
 */
export type QueueRow = Static<typeof QueueRowSchema>;

export function presentQueueRow(
  row: TriageRow,
  needed: number,
  label: { readonly title: string | null; readonly targetIdentity: string | null } | undefined,
): QueueRow {
  return {
    clusterId: row.cluster_id,
    title: label?.title ?? null,
    targetIdentity: label?.targetIdentity ?? null,
    state: row.state as ReportState,
    score: row.score / 10_000,
    why: JSON.parse(row.why) as QueueReason,
    firstSeenAt: row.first_seen_at,
    reportCount: row.report_count,
    reporterCount: row.reporter_count,
    cvssBase: row.cvss_base,
    quorum: { needed, confirmations: row.confirmations },
  };
}

/** What recording an attempt answers: the attempt, the cluster's state after it (`valid` when it completed the quorum), the quorum, and whether it completed a job the organisation held. */
export type AttemptOutcome = Static<typeof AttemptOutcomeSchema>;

/** A cluster the caller's organisation reported: `reports` counts its reports there the caller may see, `firstReportedAt` the first. */
export type MyReport = Static<typeof MyReportSchema>;

/** Queue volume and time to validate by UTC day, from `from` to `to` included. */
export type QueueFigures = Static<typeof QueueFiguresSchema>;
