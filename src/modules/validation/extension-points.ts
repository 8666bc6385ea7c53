import type { ApiClient } from '../../platform/cli/index.js';
import type { ServiceContext } from '../../platform/context.js';
import { defineExtensionPoint } from '../../platform/module-wiring.js';

/** A cluster's priority as `cluster show` prints it; the whole decision goes to `--json`. */
export interface ClusterPriority {
  readonly outcome: string;
  readonly vendorFixDueAt: string;
}

/**
 * Reads the priority decided for a cluster, as the caller may read it (NotFoundError when there is none), on
 * the local database or through the API. Scoring contributes it: scoring reacts to validation's verdicts, so
 * validation does not import scoring.
 */
export interface ClusterPriorityReader {
  local(ctx: ServiceContext, clusterId: string): Promise<ClusterPriority>;
  remote(api: ApiClient, clusterId: string): Promise<ClusterPriority>;
}

export const CLUSTER_PRIORITY = defineExtensionPoint<ClusterPriorityReader>('validation.cluster-priority');
