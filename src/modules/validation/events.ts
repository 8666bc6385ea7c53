import { defineEvent, type EventType } from '../../platform/events/event-type.js';
import type { ReportState } from './domain/report-states.js';

/**
 * The events validation emits, one constant each and one payload type for all, shared by producer and
 * consumers (scoring, cases, notify). Every field is listed; a payload that changes incompatibly gets a
 * new name (`….v2`).
 */

/** One validator's confirmation with the SSVC inputs it stated (absent ones left out). */
export interface ValidatorAssessmentRecord {
  readonly validator: string;
  readonly assessedAt: string;
  readonly automatable?: 'yes' | 'no';
  readonly technicalImpact?: 'partial' | 'total';
  readonly valueDensity?: 'diffuse' | 'concentrated';
  readonly activeExploitation?: boolean;
}

/** A cluster moved from one report state to another, as version 1 said it. Subject: the cluster. */
export interface ClusterTransitionPayloadV1 {
  readonly clusterId: string;
  readonly from: ReportState;
  readonly to: Exclude<ReportState, 'received'>;
  readonly basis: 'verdict' | 'quorum';
  readonly reason: string | null;
  readonly reasonLabel: string | null;
  readonly note: string | null;
  readonly duplicateOf: string | null;
  readonly quorum: { readonly needed: number; readonly because: string; readonly cvssBase: number | null };
  /** Organisations whose confirmations count. */
  readonly confirmations: readonly string[];
  readonly assessments: readonly ValidatorAssessmentRecord[];
  readonly reporterOrgIds: readonly string[];
  readonly at: string;
}

/** CISA's ADP SSVC enrichment of a CVE record, as intake read it (decision point → value). */
export interface SsvcEnrichmentRecord {
  readonly role: string | null;
  readonly version: string | null;
  readonly timestamp: string | null;
  readonly options: Readonly<Record<string, string>>;
  readonly provider: string;
}

/** Reports read into a transition event's {@link ClusterReportsSnapshot}: the oldest ones. */
export const REPORTS_IN_TRANSITION = 50;

/**
 * What the cluster's reports said at the move, so that consumers weigh it without reading intake's
 * records (scoring's priority: CVE ids, CVSS vectors, exploit references, CISA's SSVC). Every report
 * counts, whoever may see it: consumers decide for the system, and show nothing of it themselves.
 */
export interface ClusterReportsSnapshot {
  /** Every id the cluster is known by (CVE, GHSA, …), from all its reports, sorted. */
  readonly aliases: readonly string[];
  /** From its {@link REPORTS_IN_TRANSITION} oldest reports, oldest first, each once: their CVSS vectors, */
  readonly cvssVectors: readonly string[];
  /** their references, */
  readonly references: readonly { readonly url: string; readonly type: string | null }[];
  /** and the SSVC enrichment of those that carry one. */
  readonly ssvc: readonly SsvcEnrichmentRecord[];
}

/**
 * A cluster moved from one report state to another (version 2: with what its reports said, `reports`).
 * Subject: the cluster.
 */
export interface ClusterTransitionPayload extends ClusterTransitionPayloadV1 {
  readonly reports: ClusterReportsSnapshot;
}

export const CLUSTER_VALIDATED = defineEvent<ClusterTransitionPayload>('validation.cluster.validated.v2');
export const CLUSTER_INVALIDATED = defineEvent<ClusterTransitionPayload>('validation.cluster.invalidated.v2');
export const CLUSTER_ACCEPTED = defineEvent<ClusterTransitionPayload>('validation.cluster.accepted.v2');
export const CLUSTER_DEFERRED = defineEvent<ClusterTransitionPayload>('validation.cluster.deferred.v2');
export const CLUSTER_CLOSED = defineEvent<ClusterTransitionPayload>('validation.cluster.closed.v2');

/** The event of a move into each state. */
export const TRANSITION_EVENTS: Readonly<Record<Exclude<ReportState, 'received'>, EventType<ClusterTransitionPayload>>> = Object.freeze({
  valid: CLUSTER_VALIDATED,
  invalid: CLUSTER_INVALIDATED,
  accepted: CLUSTER_ACCEPTED,
  deferred: CLUSTER_DEFERRED,
  closed: CLUSTER_CLOSED,
});

/**
 * The version 1 names, no longer emitted (so not among the declared events): a consumer still handles
 * the events of these names queued before the upgrade, which lack `reports`. Removable once no job
 * created before the upgrade can be pending.
 */
export const TRANSITION_EVENTS_V1: Readonly<{
  validated: EventType<ClusterTransitionPayloadV1>;
  accepted: EventType<ClusterTransitionPayloadV1>;
}> = Object.freeze({
  validated: defineEvent<ClusterTransitionPayloadV1>('validation.cluster.validated'),
  accepted: defineEvent<ClusterTransitionPayloadV1>('validation.cluster.accepted'),
});
