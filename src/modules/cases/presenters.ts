import { formatInZone } from '../../platform/zoned-time.js';
import type { Embargo, EmbargoExitReason, EmbargoState } from './domain/embargo.js';
import type { ParticipantRole, ParticipantState } from './domain/participants.js';
import type { ApprovalState, StatementContent, StatementStatus } from './domain/statements.js';
import type { CaseAccess } from './service/access.js';
import type { CaseRow, ParticipantRow, StatementRow, TimelineRow } from './store/tables.js';

/** What the API and CLI answer; every field listed, so that nothing leaks by accident. */

export interface EmbargoView {
  readonly state: EmbargoState;
  readonly endsAt: string | null;
  /** The end as local time in the zone it was set in, with the offset: `2026-07-20 17:00 EDT (-04:00)`. */
  readonly endsAtLocal: string | null;
  readonly timeZone: string | null;
  readonly exitedAt: string | null;
  readonly exitReason: EmbargoExitReason | null;
  readonly proposals: readonly {
    readonly id: string;
    readonly endsAt: string;
    readonly endsAtLocal: string;
    readonly timeZone: string;
    readonly kind: 'initial' | 'revision';
    readonly status: string;
    readonly at: string;
    /** Who proposed: shown to coordinators and to the proposing organisation. */
    readonly byOrgId: string | null;
  }[];
}

export interface CaseParticipant {
  readonly orgId: string;
  readonly role: ParticipantRole;
  readonly state: ParticipantState;
  /** `opening`, `coordinator`, `purl`, or `vendor` (proposed by another vendor). */
  readonly source: string;
  readonly matches: readonly { readonly purl: string; readonly scope: string }[];
  readonly notifiedAt: string | null;
  readonly seenAt: string | null;
}

export interface CaseVulnerability {
  readonly clusterId: string;
  readonly title: string | null;
  readonly aliases: readonly string[];
  /** CVE ids the coordinator assigned to this vulnerability (assigned or published, not rejected), for every reader of the case. */
  readonly cveIds: readonly string[];
  readonly cwes: readonly string[];
  readonly purls: readonly string[];
  /** CVSS vectors (v2.0–v4.0) the reports the reader may read give, each once. */
  readonly cvssVectors: readonly string[];
  /** Reference URLs of those reports. */
  readonly references: readonly string[];
  /** The names those reports ask to be credited under (credit mode `named`; never the anonymous). */
  readonly credits: readonly string[];
  /** The reporting organisations those reports ask to be credited as (credit mode `organization`), by name. */
  readonly creditedOrganizations: readonly string[];
}

export interface CaseSummary {
  readonly id: string;
  readonly number: string;
  readonly title: string;
  readonly embargoState: EmbargoState;
  readonly embargoEndsAt: string | null;
  readonly disclosedAt: string | null;
  readonly createdAt: string;
}

export interface CaseDetail extends CaseSummary {
  readonly description: string | null;
  readonly openedBy: 'coordinator' | 'policy';
  readonly exploited: boolean;
  readonly embargo: EmbargoView;
  /** The disclosure policy version the embargo was last decided under (0: the built-in defaults; null: before versions). */
  readonly disclosurePolicyVersion: number | null;
  readonly vulnerabilities: readonly CaseVulnerability[];
  /** Coordinators see every participant; others the coordinators and themselves. */
  readonly participants: readonly CaseParticipant[];
  /** The reader's role in the case; null for a coordinator reading a case it does not take part in. */
  readonly myRole: ParticipantRole | null;
  /** The discussion channels the reader may read and post to, the common thread first. */
  readonly channels: readonly string[];
  readonly updatedAt: string;
}

export function presentSummary(row: CaseRow): CaseSummary {
  return {
    id: row.id,
    number: row.number,
    title: row.title,
    embargoState: row.embargo_state as EmbargoState,
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
    role: row.role as ParticipantRole,
    state: row.state as ParticipantState,
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
    openedBy: row.opened_by as 'coordinator' | 'policy',
    exploited: row.exploited === 1,
    embargo: presentEmbargo(JSON.parse(row.embargo) as Embargo, orgId, coordinator),
    disclosurePolicyVersion: row.disclosure_policy_version,
    vulnerabilities,
    participants: shown.map(presentParticipant).map((p) => ({ ...p, matches: p.matches.filter((m) => purls.has(m.purl)) })),
    myRole: (access.me?.role as ParticipantRole | undefined) ?? null,
    channels,
    updatedAt: row.updated_at,
  };
}

export interface Statement extends StatementContent {
  readonly id: string;
  readonly caseId: string;
  readonly vendorOrgId: string;
  readonly clusterId: string;
  readonly approval: ApprovalState;
  readonly version: number;
  readonly source: 'typed' | 'csaf_vex' | 'cyclonedx_vex';
  readonly decidedAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export function presentStatement(row: StatementRow): Statement {
  const content = JSON.parse(row.content) as StatementContent;
  return {
    id: row.id,
    caseId: row.case_id,
    vendorOrgId: row.vendor_org_id,
    clusterId: row.cluster_id,
    status: row.status as StatementStatus,
    product: content.product,
    justification: content.justification,
    impactStatement: content.impactStatement,
    actionStatement: content.actionStatement,
    fixedVersions: content.fixedVersions,
    fixUrl: content.fixUrl,
    fixText: content.fixText,
    text: content.text,
    shareBeforePublication: row.share_before_publication === 1,
    approval: row.approval as ApprovalState,
    version: row.version,
    source: row.source as Statement['source'],
    decidedAt: row.decided_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface TimelineStep {
  readonly id: string;
  readonly kind: string;
  readonly at: string;
  /** Who acted: shown to coordinators, and to the acting organisation. */
  readonly actorOrgId: string | null;
  readonly data: Readonly<Record<string, unknown>>;
}

export function presentStep(row: TimelineRow, readerOrgId: string | null, coordinator: boolean): TimelineStep {
  return {
    id: row.id,
    kind: row.kind,
    at: row.at,
    actorOrgId: coordinator || row.actor_org_id === readerOrgId ? row.actor_org_id : null,
    data: JSON.parse(row.data) as Record<string, unknown>,
  };
}
