import { systemActor, type Actor } from '../../platform/actor.js';
import type { ServiceContext } from '../../platform/context.js';
import type { EventConsumer, StoredEvent } from '../../platform/events/index.js';
import { parseSubmission, VEX_SUBMITTED, type VexSubmittedPayload } from '../intake/index.js';
import { statementsFromCsafFindings } from './domain/vex-statements.js';
import { applyVexStatements } from './service/statements.js';

/** What the composition root gives the cases module's background work. */
export interface CasesBackgroundDeps {
  contextFor(actor: Actor): ServiceContext;
}

const actor = systemActor('cases');

/**
 * `cases.vex`: a vendor's CSAF VEX document, stored by intake without findings, becomes that vendor's
 * statements in its cases (intake's `intake.vex.submitted`). Re-running it changes nothing.
 */
export function casesConsumers(deps: CasesBackgroundDeps): EventConsumer[] {
  return [
    {
      name: 'cases.vex',
      types: [VEX_SUBMITTED],
      handle: async (event) => {
        const ctx = deps.contextFor(actor);
        const payload = (event as StoredEvent<VexSubmittedPayload>).payload;
        const bytes = await ctx.blobs.get(payload.sha256);
        if (bytes === null) {
          ctx.log.warn({ submissionId: payload.submissionId }, 'cases.vex: the VEX document is no longer stored');
          return;
        }
        const { statements, skipped } = statementsFromCsafFindings(parseSubmission(bytes).findings);
        const result = await applyVexStatements(ctx, { vendorOrgId: payload.orgId, source: 'csaf_vex', statements });
        ctx.log.info({ submissionId: payload.submissionId, ...result, skipped: skipped.length }, 'cases.vex: statements applied');
      },
    },
  ];
}
