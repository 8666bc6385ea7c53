import type { Static } from '@sinclair/typebox';
import { storedEnum } from '../../platform/db/index.js';
import type { FieldIssue } from '../../platform/errors.js';
import { TLP_LABELS, type Tlp } from '../../platform/tlp.js';
import type { ClusterRow, FindingRow, RegroupRow, SubmissionRow } from './store/index.js';
import type {
  AnswerSchema,
  CandidateDecisionSchema,
  CandidateSchema,
  ClusterDetailSchema,
  ClusterSchema,
  FindingDetailSchema,
  FindingOutcomeSchema,
  FindingSchema,
  RegroupSchema,
  SplitSchema,
  SubmissionSchema,
} from './route-schemas.js';

/**
 * What the API and CLI answer: the response schemas' types (route-schemas.ts), every field listed there once,
 * so that nothing leaks by accident. Stored enum columns are narrowed with `storedEnum`, which refuses a value
 * outside the domain's list.
 */

export type SubmissionView = Static<typeof SubmissionSchema>;

export type FindingOutcome = Static<typeof FindingOutcomeSchema>;

export type SubmissionAnswer = Static<typeof AnswerSchema>;

export type ClusterSummary = Static<typeof ClusterSchema>;

export type FindingView = Static<typeof FindingSchema>;

export type FindingDetail = Static<typeof FindingDetailSchema>;

export type ClusterDetail = Static<typeof ClusterDetailSchema>;

export type RegroupView = Static<typeof RegroupSchema>;

export type SplitAnswer = Static<typeof SplitSchema>;

export type CandidateView = Static<typeof CandidateSchema>;

export type CandidateDecision = Static<typeof CandidateDecisionSchema>;

const TLP_READERS: Readonly<Record<Tlp, string>> = {
  CLEAR: 'anyone, including anonymous callers of the public endpoints',
  GREEN: 'every member organisation',
  AMBER: 'the submitting organisation, the recipient organisations and those they serve, and the named users',
  'AMBER+STRICT': 'the submitting organisation, the recipient organisations and the named users',
  RED: 'the submitter and the named users',
};

/**
 * Who may read a submission at this label. The coordinator's analysts and admins always do (DESIGN §5: the
 * clearinghouse reads what it is sent), whatever TLP the submitter chose: the answer says so.
 */
export function submissionReaders(tlp: Tlp): string {
  return `TLP:${tlp}: ${TLP_READERS[tlp]}; and, whatever the TLP, the coordinator organisation's analysts and admins`;
}

export function presentSubmission(row: SubmissionRow): SubmissionView {
  const tlp = storedEnum(TLP_LABELS, row.tlp, 'intake_submission.tlp');
  return {
    id: row.id,
    format: row.format,
    formatVersion: row.format_version,
    documentId: row.document_id,
    filename: row.filename,
    sha256: row.sha256,
    size: row.size,
    tlp,
    readers: submissionReaders(tlp),
    status: row.status,
    findingCount: row.finding_count,
    warnings: JSON.parse(row.warnings) as FieldIssue[],
    createdAt: row.created_at,
    processedAt: row.processed_at,
  };
}

/** The stored summary, derived from every report: for those who may see every report. */
export function presentCluster(row: ClusterRow): ClusterSummary {
  return {
    id: row.id,
    title: row.title,
    state: row.state,
    targetIdentity: row.target_identity,
    cwes: JSON.parse(row.cwes) as string[],
    aliases: JSON.parse(row.aliases) as string[],
    firstSeenAt: row.first_seen_at,
    findingCount: row.finding_count,
    reporterCount: row.reporter_count,
    mergedInto: row.merged_into,
  };
}

export function presentFinding(row: FindingRow): FindingView {
  return {
    id: row.id,
    submissionId: row.submission_id,
    ref: row.ref,
    productId: row.product_id,
    format: row.format,
    title: row.title,
    tool: row.tool,
    model: row.model,
    aiGenerated: row.ai_generated === null ? null : row.ai_generated === 1,
    reporterOrgId: row.owner_org_id,
    tlp: storedEnum(TLP_LABELS, row.tlp, 'intake_finding.tlp'),
    outcome: row.outcome,
    createdAt: row.created_at,
  };
}

export function presentRegroup(row: RegroupRow): RegroupView {
  return {
    id: row.id,
    kind: row.kind,
    fromClusterId: row.from_cluster_id,
    intoClusterId: row.into_cluster_id,
    findingIds: JSON.parse(row.finding_ids) as string[],
    reason: row.reason,
    actor: row.actor,
    createdAt: row.created_at,
    undoneAt: row.undone_at,
  };
}
