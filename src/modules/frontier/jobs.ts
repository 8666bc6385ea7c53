import type { Actor } from '../../platform/actor.js';
import { MINUTE } from '../../platform/clock.js';
import type { ServiceContext } from '../../platform/context.js';
import type { JobHandler, Schedule } from '../../platform/jobs/index.js';
import { FRONTIER_SYSTEM } from './service/records.js';
import { sweepFrontier } from './service/sweep.js';

/** The job kind of the sweep (review completion, grant expiry, reminders). */
export const FRONTIER_SWEEP_JOB = 'frontier.sweep';

/** Every minute: grants expire and reminders go out within a minute of their time. Access is refused on time regardless (see grantStatus). */
export const frontierSchedules: readonly Schedule[] = [{ kind: FRONTIER_SWEEP_JOB, everyMs: MINUTE }];

/** The frontier job handlers, given a context factory by the composition root. */
export function frontierJobs(deps: { contextFor(actor: Actor): ServiceContext }): Record<string, JobHandler> {
  return {
    [FRONTIER_SWEEP_JOB]: async () => {
      await sweepFrontier(deps.contextFor(FRONTIER_SYSTEM));
    },
  };
}
