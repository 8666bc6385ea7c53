import { defineEvent } from '../../platform/events/event-type.js';
import type { GrantEndReason } from './domain/grant-rules.js';
import type { VulnerabilityInput } from './domain/inputs.js';
import type { ReviewOutcome } from './domain/review-window.js';

/**
 * The events the frontier module emits, one constant and one payload type each, shared by producer and
 * consumers (intake, notify, the developer's credential system through webhooks). Every field is listed;
 * a payload that changes incompatibly gets a new name (`….v2`).
 */

export const MODEL_REGISTERED = defineEvent<{ readonly modelId: string; readonly name: string; readonly version: string }>(
  'frontier.model.registered',
);

export const MODEL_DETERMINED = defineEvent<{
  readonly modelId: string;
  readonly covered: boolean;
  readonly determinedByOrgId: string;
  readonly policyVersion: number;
}>('frontier.model.determined');

export const POLICY_UPDATED = defineEvent<{ readonly version: number; readonly windowMaxDays: number }>('frontier.policy.updated');

export const REVIEW_OPENED = defineEvent<{
  readonly reviewId: string;
  readonly modelId: string;
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly days: number;
  readonly timeZone: string;
  readonly policyVersion: number;
  readonly windowMaxDays: number;
}>('frontier.review.opened');

export const REVIEW_EXTENDED = defineEvent<{ readonly reviewId: string; readonly windowEnd: string; readonly days: number }>(
  'frontier.review.extended',
);

/** A review window closes soon; notify reminds the participants. */
export const REVIEW_CLOSING = defineEvent<{
  readonly reviewId: string;
  readonly modelId: string;
  readonly windowEnd: string;
  readonly hoursLeft: number;
  readonly participantOrgIds: readonly string[];
}>('frontier.review.closing');

export const REVIEW_CLOSED = defineEvent<{
  readonly reviewId: string;
  readonly modelId: string;
  readonly outcome: ReviewOutcome;
  readonly closedAt: string;
  readonly reportPath: string;
}>('frontier.review.closed');

interface GrantTerms {
  readonly grantId: string;
  readonly reviewId: string;
  readonly granteeOrgId: string;
  readonly credentialRef: string | null;
}

export const GRANT_CREATED = defineEvent<
  GrantTerms & {
    readonly modelId: string;
    readonly scope: string;
    readonly startsAt: string;
    readonly expiresAt: string;
    readonly nominationId: string | null;
  }
>('frontier.grant.created');

export const GRANT_ACKNOWLEDGED = defineEvent<GrantTerms>('frontier.grant.acknowledged');

export type GrantEndedPayload = GrantTerms & { readonly reason: GrantEndReason; readonly endedAt: string };

/** The developer's credential system withdraws the credentials it issued on these two. */
export const GRANT_REVOKED = defineEvent<GrantEndedPayload>('frontier.grant.revoked');
export const GRANT_EXPIRED = defineEvent<GrantEndedPayload>('frontier.grant.expired');

export const PARTNER_SELECTED = defineEvent<{
  readonly nominationId: string;
  readonly modelId: string;
  readonly partnerOrgId: string;
  readonly grantIds: readonly string[];
}>('frontier.partner.selected');

export const EVALUATION_ADDED = defineEvent<{
  readonly evaluationId: string;
  readonly reviewId: string;
  readonly modelId: string;
  readonly kind: string;
  readonly title: string;
  readonly authorOrgId: string;
  readonly measurements: number;
}>('frontier.evaluation.added');

export const RISK_FINDING_ADDED = defineEvent<{
  readonly riskFindingId: string;
  readonly reviewId: string;
  readonly modelId: string;
  readonly severity: string;
}>('frontier.risk_finding.added');

/** A stored evidence file of a model-found vulnerability. */
export interface EvidenceFile {
  readonly sha256: string;
  readonly name: string;
  readonly mediaType: string;
  readonly size: number;
}

/**
 * A vulnerability a model found during a review: everything intake needs to take it into the normal
 * validation path, and — when it names a target — the same finding as a native findings document.
 */
export interface FindingReportedPayload {
  readonly findingId: string;
  readonly reviewId: string;
  readonly modelId: string;
  readonly model: { readonly name: string; readonly version: string; readonly developerOrgId: string };
  readonly reportingOrgId: string;
  readonly reportedBy: string | null;
  readonly reportedAt: string;
  readonly tlp: string;
  readonly recipients: { readonly orgIds: readonly string[]; readonly userIds: readonly string[] };
  readonly title: string;
  readonly description: string;
  readonly target: VulnerabilityInput['target'];
  readonly cwe: readonly string[];
  readonly severity: VulnerabilityInput['severity'];
  readonly cvssVector: string | null;
  readonly evidence: readonly EvidenceFile[];
  readonly provenance: Readonly<Record<string, unknown>>;
  /** The finding as a native findings document, when it names a target; null otherwise. */
  readonly native: Readonly<Record<string, unknown>> | null;
}

export const FINDING_REPORTED = defineEvent<FindingReportedPayload>('frontier.finding.reported');
