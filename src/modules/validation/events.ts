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

/** A cluster moved from one report state to another. Subject: the cluster. */
export interface ClusterTransitionPayload {
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

export const CLUSTER_VALIDATED = defineEvent<ClusterTransitionPayload>('validation.cluster.validated');
export const CLUSTER_INVALIDATED = defineEvent<ClusterTransitionPayload>('validation.cluster.invalidated');
export const CLUSTER_ACCEPTED = defineEvent<ClusterTransitionPayload>('validation.cluster.accepted');
export const CLUSTER_DEFERRED = defineEvent<ClusterTransitionPayload>('validation.cluster.deferred');
export const CLUSTER_CLOSED = defineEvent<ClusterTransitionPayload>('validation.cluster.closed');

/** The event of a move into each state. */
export const TRANSITION_EVENTS: Readonly<Record<Exclude<ReportState, 'received'>, EventType<ClusterTransitionPayload>>> = Object.freeze({
  valid: CLUSTER_VALIDATED,
  invalid: CLUSTER_INVALIDATED,
  accepted: CLUSTER_ACCEPTED,
  deferred: CLUSTER_DEFERRED,
  closed: CLUSTER_CLOSED,
});
