import { systemActor, type Actor } from '../../platform/actor.js';
import { MINUTE } from '../../platform/clock.js';
import type { ServiceContext } from '../../platform/context.js';
import type { JobHandler, Schedule } from '../../platform/jobs/index.js';
import { refreshFeeds } from './service/feed-sources.js';

/** Who scoring's background work acts as, in the audit trail. */
export const SCORING_SYSTEM = systemActor('scoring');

/** The job kind of the feed refresh. */
export const FEED_REFRESH_JOB = 'scoring.feeds.refresh';

/**
 * Every 15 minutes the refresh looks for feeds that are due. It finds none until a coordinator admin sets
 * a source (`PUT /api/v1/scoring/feeds/{feed}/source`, `clearinghouse feeds source`): feed refresh is off
 * by default, for servers without internet access.
 */
export const scoringSchedules: readonly Schedule[] = [{ kind: FEED_REFRESH_JOB, everyMs: 15 * MINUTE }];

/** The scoring job handlers, given a context factory by the composition root. */
export function scoringJobs(deps: { contextFor(actor: Actor): ServiceContext }): Record<string, JobHandler> {
  return {
    [FEED_REFRESH_JOB]: async () => {
      await refreshFeeds(deps.contextFor(SCORING_SYSTEM));
    },
  };
}
