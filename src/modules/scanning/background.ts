import { systemActor, type Actor } from '../../platform/actor.js';
import { MINUTE } from '../../platform/clock.js';
import type { ServiceContext } from '../../platform/context.js';
import { isEvent, type EventConsumer } from '../../platform/events/index.js';
import type { JobHandler, Schedule } from '../../platform/jobs/index.js';
import { SUBMISSION_PROCESSED } from '../intake/pure.js';
import { advanceCampaigns } from './service/campaign-lifecycle.js';
import { linkSubmissionFindings } from './service/coverage.js';

/** What the composition root gives scanning's background work: a context acting as someone (the system). */
export interface ScanningBackgroundDeps {
  contextFor(actor: Actor): ServiceContext;
}

export const CAMPAIGN_ADVANCE_JOB = 'scanning.campaigns.advance';

/** Campaigns start and complete on the minute; a lease needs no sweep (it ends by its expiry time). */
export const scanningSchedules: readonly Schedule[] = [{ kind: CAMPAIGN_ADVANCE_JOB, everyMs: MINUTE }];

const actor = systemActor('scanning');

/** `scanning.campaigns.advance`: planned campaigns whose window opened start; those whose window closed complete. */
export function scanningJobs(deps: ScanningBackgroundDeps): Record<string, JobHandler> {
  return { [CAMPAIGN_ADVANCE_JOB]: async () => void (await advanceCampaigns(deps.contextFor(actor))) };
}

/** `scanning.findings`: a processed submission's findings link to the campaign that produced them (coverage). */
export function scanningConsumers(deps: ScanningBackgroundDeps): EventConsumer[] {
  return [
    {
      name: 'scanning.findings',
      types: [SUBMISSION_PROCESSED],
      handle: async (event) => {
        if (!isEvent(event, SUBMISSION_PROCESSED)) return;
        const ctx = deps.contextFor(actor);
        await linkSubmissionFindings(ctx, ctx.db.kysely, event.payload.submissionId);
      },
    },
  ];
}
