import { defineEvent } from '../../platform/events/event-type.js';

/**
 * The events intake emits, one constant and one payload type each, shared by producer and consumers
 * (validation, inventory, cases). Every field is listed; a payload that changes incompatibly gets a new
 * name (`….v2`).
 */

/** One merge of two clusters: `from` now points at `into`. */
export interface ClusterMerge {
  readonly from: string;
  readonly into: string;
  readonly regroupId: string;
}

/** A submission was parsed and its findings placed in clusters. Subject: the submission; org: its owner. */
export const SUBMISSION_PROCESSED = defineEvent<SubmissionProcessedPayload>('intake.submission.processed');

export interface SubmissionProcessedPayload {
  readonly submissionId: string;
  /** The format read (`osv`, `cve5`, `csaf`, `sarif`, `native`). */
  readonly format: string;
  readonly createdClusterIds: readonly string[];
  readonly grownClusterIds: readonly string[];
  readonly merges: readonly ClusterMerge[];
  readonly counts: { readonly findings: number; readonly new: number; readonly duplicate: number; readonly merged: number };
}

/** A coordinator merged two clusters. Subject: the cluster kept. */
export const CLUSTER_MERGED = defineEvent<ClusterMerge>('intake.cluster.merged');

/** A coordinator split reports out of a cluster into a new one (`into`). Subject: the cluster split. */
export const CLUSTER_SPLIT = defineEvent<ClusterMerge>('intake.cluster.split');

/** A merge or split was undone. Subject: the `from` cluster of the regroup undone. */
export const CLUSTER_REGROUPED = defineEvent<ClusterRegroupedPayload>('intake.cluster.regrouped');

export interface ClusterRegroupedPayload {
  readonly regroupId: string;
  readonly undone: boolean;
  /** Both clusters the regroup touched. */
  readonly clusters: readonly string[];
}

/**
 * A vendor submitted a VEX document (CSAF `csaf_vex`): stored raw like any submission, but read as the
 * vendor's statements about its products rather than deduplicated into findings. Subject: the submission.
 * The cases module consumes it and updates that vendor's statements.
 */
export const VEX_SUBMITTED = defineEvent<VexSubmittedPayload>('intake.vex.submitted');

export interface VexSubmittedPayload {
  readonly submissionId: string;
  /** The vendor organisation that submitted it. */
  readonly orgId: string;
  readonly userId: string | null;
  readonly format: 'csaf';
  readonly documentId: string | null;
  /** SHA-256 of the stored document in the blob store. */
  readonly sha256: string;
  /** Product statuses the document states (vulnerability × product). */
  readonly statements: number;
}
