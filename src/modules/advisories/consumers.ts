import { systemActor, type Actor } from '../../platform/actor.js';
import type { ServiceContext } from '../../platform/context.js';
import type { EventConsumer, StoredEvent } from '../../platform/events/index.js';
import { STATEMENT_CHANGED, type StatementChangedPayload } from '../cases/index.js';
import type { ProviderSettings } from './service/advisories.js';
import { reviseAdvisoryOfCase } from './service/revise.js';

/** What the composition root gives the advisories module's background work. */
export interface AdvisoriesBackgroundDeps {
  contextFor(actor: Actor): ServiceContext;
  /** Read when an event is handled: the provider's settings from the server's configuration. */
  settings(): ProviderSettings;
}

const actor = systemActor('advisories');

/**
 * `advisories.revise`: a statement a coordinator approved (cases' `cases.statement.changed`) refreshes the
 * case's draft, or publishes the next revision of its published advisory. Re-running it changes nothing:
 * a revision is made only when what the advisory says has changed.
 */
export function advisoriesConsumers(deps: AdvisoriesBackgroundDeps): EventConsumer[] {
  return [
    {
      name: 'advisories.revise',
      types: [STATEMENT_CHANGED],
      handle: async (event) => {
        const payload = (event as StoredEvent<StatementChangedPayload>).payload;
        if (payload.approval !== 'approved') return;
        const ctx = deps.contextFor(actor);
        const outcome = await reviseAdvisoryOfCase(ctx, payload.caseId, deps.settings());
        ctx.log.info({ caseId: payload.caseId, statementId: payload.statementId, outcome }, 'advisories.revise');
      },
    },
  ];
}
