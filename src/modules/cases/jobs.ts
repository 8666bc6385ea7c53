import { systemActor } from '../../platform/actor.js';
import { MINUTE } from '../../platform/clock.js';
import type { JobHandler, Schedule } from '../../platform/jobs/index.js';
import type { CasesBackgroundDeps } from './consumers.js';
import { sweepEmbargoes } from './service/embargo.js';

export const EMBARGO_SWEEP_JOB = 'cases.embargo.sweep';

export const casesSchedules: readonly Schedule[] = [{ kind: EMBARGO_SWEEP_JOB, everyMs: 5 * MINUTE }];

/** `cases.embargo.sweep`: ends embargoes whose deadline passed and sends the reminders due. */
export function casesJobs(deps: CasesBackgroundDeps): Record<string, JobHandler> {
  return { [EMBARGO_SWEEP_JOB]: async () => void (await sweepEmbargoes(deps.contextFor(systemActor('cases')))) };
}
