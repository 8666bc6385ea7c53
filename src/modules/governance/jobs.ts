import { systemActor } from '../../platform/actor.js';
import { DAY } from '../../platform/clock.js';
import type { ServiceContext } from '../../platform/context.js';
import type { Actor } from '../../platform/actor.js';
import type { JobHandler, Schedule } from '../../platform/jobs/index.js';
import { runRetentionPurge } from './service/purge.js';
import { ORG_REMOVAL_JOB, runQueuedRemoval } from './service/removals.js';
import type { RetentionRegistry } from './service/retention-registry.js';

/** The job kind of the daily retention purge. */
export const RETENTION_PURGE_JOB = 'governance.retention.purge';

/** Once a day: retention is counted in days, and the purge is idempotent, so a late or repeated run is harmless. */
export const governanceSchedules: readonly Schedule[] = [{ kind: RETENTION_PURGE_JOB, everyMs: DAY }];

export interface GovernanceBackgroundDeps {
  contextFor(actor: Actor): ServiceContext;
  /** Every module's retention sources and blob references, as the composition root wires them. */
  retentionRegistry(): RetentionRegistry;
}

/**
 * `governance.retention.purge`: deletes what the retention table says expired, holds honoured, as the system.
 * `governance.org.remove`: carries out one organisation's removal request, as the system; resumable.
 */
export function governanceJobs(deps: GovernanceBackgroundDeps): Record<string, JobHandler> {
  return {
    [RETENTION_PURGE_JOB]: async () => {
      await runRetentionPurge(deps.contextFor(systemActor('governance')), deps.retentionRegistry());
    },
    [ORG_REMOVAL_JOB]: async (job) => {
      const { removalId } = job.payload as { removalId: string };
      await runQueuedRemoval(deps.contextFor(systemActor('governance')), deps.retentionRegistry(), removalId);
    },
  };
}
