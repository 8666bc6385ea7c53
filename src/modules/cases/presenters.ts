import type { Static } from '@sinclair/typebox';
import { storedEnum, storedEnumOrNull, type PolicyVersion } from '../../platform/db/index.js';
import { formatInZone } from '../../platform/zoned-time.js';
import { CASE_OPENERS, type DisclosurePolicy } from './domain/disclosure-policy.js';
import { EMBARGO_STATES, type Embargo } from './domain/embargo.js';
import { PARTICIPANT_ROLES, PARTICIPANT_STATES } from './domain/participants.js';
import { APPROVAL_STATES, STATEMENT_SOURCES, STATEMENT_STATUSES, type StatementContent } from './domain/statements.js';
import type { CaseAccess } from './service/access.js';
import type { CaseRow, ParticipantRow, StatementRow, TimelineRow } from './store/tables.js';
import type {
  CaseSchema,
  CaseSummarySchema,
  CaseVulnerabilitySchema,
  EmbargoSchema,
  ParticipantSchema,
  PolicyVersionSchema,
  StatementSchema,
  StepSchema,
} from './route-schemas.js';

/**
 * What the API and CLI answer: the response schemas' types (route-schemas.ts), every field listed there once,
 * so that nothing leaks by accident. Stored enum columns are narrowed with `storedEnum`, which refuses a value
 * outside the domain's list.
 */

export type EmbargoView = Static<typeof EmbargoSchema>;

export type CaseParticipant = Static<typeof ParticipantSchema>;

export type CaseVulnerability = Static<typeof CaseVulnerabilitySchema>;

export type CaseSummary = Static<typeof CaseSummarySchema>;

export type CaseDetail = Static<typeof CaseSchema>;

export function presentSummary(row: CaseRow): CaseSummary {
  return {
    id: row.id,
    number: row.number,
    title: row.title,
    embargoState: storedEnum(EMBARGO_STATES, row.embargo_state, 'cases_case.embargo_state'),
    embargoEndsAt: row.embargo_ends_at,
    disclosedAt: row.disclosed_at,
    createdAt: row.created_at,
  };
}

export function presentEmbargo(embargo: Embargo, readerOrgId: string | null, coordinator: boolean): EmbargoView {
  return {
    state: embargo.state,
    endsAt: embargo.endsAt,
    endsAtLocal: embargo.endsAt === null ? null : formatInZone(embargo.endsAt, embargo.timeZone ?? 'UTC'),
    timeZone: embargo.timeZone,
    exitedAt: embargo.exitedAt,
    exitReason: embargo.exitReason,
    proposals: embargo.proposals.map((p) => {
      const by = p.by.kind === 'participant' ? p.by.orgId : null;
      return {
        id: p.id,
        endsAt: p.endsAt,
        endsAtLocal: formatInZone(p.endsAt, p.timeZone),
        timeZone: p.timeZone,
        kind: p.kind,
        status: p.status,
        at: p.at,
        byOrgId: coordinator || by === readerOrgId ? by : null,
      };
    }),
  };
}

export function presentParticipant(row: ParticipantRow): CaseParticipant {
  return {
    orgId: row.org_id,
    role: storedEnum(PARTICIPANT_ROLES, row.role, 'cases_participant.role'),
    state: storedEnum(PARTICIPANT_STATES, row.state, 'cases_participant.state'),
    source: row.source.startsWith('vendor:') ? 'vendor' : row.source,
    matches: JSON.parse(row.matches) as CaseParticipant['matches'],
    notifiedAt: row.notified_at,
    seenAt: row.seen_at,
  };
}

/**
 * The case as its reader may see it. `vulnerabilities` are as the reader may see them (derived from the
 * reports it may read); no suggestion match names a package they do not show.
 */
export function presentCase(access: CaseAccess, vulnerabilities: readonly CaseVulnerability[], channels: readonly string[]): CaseDetail {
  const { row, coordinator, orgId } = access;
  const shown = coordinator ? access.participants : access.participants.filter((p) => p.role === 'coordinator' || p.org_id === orgId);
  const purls = new Set(vulnerabilities.flatMap((v) => v.purls));
  return {
    ...presentSummary(row),
    description: row.description,
    openedBy: storedEnum(CASE_OPENERS, row.opened_by, 'cases_case.opened_by'),
    exploited: row.exploited === 1,
    embargo: presentEmbargo(JSON.parse(row.embargo) as Embargo, orgId, coordinator),
    disclosurePolicyVersion: row.disclosure_policy_version,
    vulnerabilities,
    participants: shown.map(presentParticipant).map((p) => ({ ...p, matches: p.matches.filter((m) => purls.has(m.purl)) })),
    myRole: storedEnumOrNull(PARTICIPANT_ROLES, access.me?.role ?? null, 'cases_participant.role'),
    channels,
    updatedAt: row.updated_at,
  };
}

export type Statement = Static<typeof StatementSchema>;

export function presentStatement(row: StatementRow): Statement {
  const content = JSON.parse(row.content) as StatementContent;
  return {
    id: row.id,
    caseId: row.case_id,
    vendorOrgId: row.vendor_org_id,
    clusterId: row.cluster_id,
    status: storedEnum(STATEMENT_STATUSES, row.status, 'cases_statement.status'),
    product: content.product,
    justification: content.justification,
    impactStatement: content.impactStatement,
    actionStatement: content.actionStatement,
    fixedVersions: content.fixedVersions,
    fixUrl: content.fixUrl,
    fixText: content.fixText,
    text: content.text,
    shareBeforePublication: row.share_before_publication === 1,
    approval: storedEnum(APPROVAL_STATES, row.approval, 'cases_statement.approval'),
    version: row.version,
    source: storedEnum(STATEMENT_SOURCES, row.source, 'cases_statement.source'),
    decidedAt: row.decided_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export type TimelineStep = Static<typeof StepSchema>;

export function presentStep(row: TimelineRow, readerOrgId: string | null, coordinator: boolean): TimelineStep {
  return {
    id: row.id,
    kind: row.kind,
    at: row.at,
    actorOrgId: coordinator || row.actor_org_id === readerOrgId ? row.actor_org_id : null,
    data: JSON.parse(row.data) as Record<string, unknown>,
  };
}

/** A disclosure policy version as the policy routes answer it (the store keeps the domain version auto-open decides by). */
export type DisclosurePolicyView = Static<typeof PolicyVersionSchema>;

export function presentDisclosurePolicy(saved: PolicyVersion<DisclosurePolicy>): DisclosurePolicyView {
  const { policy } = saved;
  return {
    version: saved.version,
    policy: {
      embargoDays: policy.embargoDays,
      exploitedEmbargoDays: policy.exploitedEmbargoDays,
      maxEmbargoDays: policy.maxEmbargoDays,
      reminderDaysBefore: [...policy.reminderDaysBefore],
      autoOpenAtPriority: policy.autoOpenAtPriority,
      defaultTimeZone: policy.defaultTimeZone,
      cna: policy.cna === null ? null : { orgId: policy.cna.orgId, shortName: policy.cna.shortName },
    },
    note: saved.note,
    createdBy: saved.createdBy,
    createdAt: saved.createdAt,
  };
}
