import { systemActor, type Actor } from '../../platform/actor.js';
import type { ServiceContext } from '../../platform/context.js';
import { isEvent, type EventConsumer, type StoredEvent } from '../../platform/events/index.js';
import { parseSubmission, VEX_SUBMITTED, type VexSubmittedPayload } from '../intake/index.js';
import { DECISION_CHANGED } from '../scoring/pure.js';
import { CLUSTER_ACCEPTED, TRANSITION_EVENTS_V1 } from '../validation/pure.js';
import { statementsFromCsafFindings } from './domain/vex-statements.js';
import { openCaseByPolicy } from './service/auto-open.js';
import { applyVexStatements } from './service/statements.js';

/** What the composition root gives the cases module's background work. */
export interface CasesBackgroundDeps {
  contextFor(actor: Actor): ServiceContext;
}

const actor = systemActor('cases');

/**
 * `cases.vex`: a vendor's CSAF VEX document, stored by intake without findings, becomes that vendor's
 * statements in its cases (intake's `intake.vex.submitted`). Re-running it changes nothing.
 *
 * `cases.auto-open`: a cluster accepted (validation's `validation.cluster.accepted.v2`) or whose priority is
 * decided or changes (scoring's `scoring.decision.changed`, also on a KEV or EPSS refresh) opens its case when
 * the disclosure policy says so. Re-running it, or both at once, opens one case.
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
    {
      name: 'cases.auto-open',
      types: [CLUSTER_ACCEPTED, DECISION_CHANGED],
      handle: async (event) => {
        const ctx = deps.contextFor(actor);
        // A decision's subject is the cluster decided about (version 1 acceptances were queued before the upgrade).
        const accepted = isEvent(event, CLUSTER_ACCEPTED) || isEvent(event, TRANSITION_EVENTS_V1.accepted);
        const clusterId = accepted ? event.payload.clusterId : event.subjectId;
        const outcome = await openCaseByPolicy(ctx, clusterId);
        if (outcome.opened) ctx.log.info({ clusterId, caseNumber: outcome.number }, 'cases.auto-open: the policy opened a case');
      },
    },
  ];
}
