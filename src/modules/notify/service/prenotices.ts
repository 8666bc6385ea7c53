import { systemActor } from '../../../platform/actor.js';
import { asActor, type ServiceContext } from '../../../platform/context.js';
import { withTransaction } from '../../../platform/db/index.js';
import { ConflictError } from '../../../platform/errors.js';
import { FieldReader } from '../../../platform/input/field-reader.js';
import { getCase } from '../../cases/index.js';
import { authorize } from '../../identity/index.js';
import { getAdvisory } from '../../inventory/index.js';
import { notifyAffectedOperators, type TargetingDeps } from './targeting.js';

export interface PrenoticeInput {
  readonly caseId?: unknown;
  readonly advisoryId?: unknown;
  readonly note?: unknown;
}

export interface PrenoticeResult {
  readonly caseId: string;
  readonly advisoryId: string;
  readonly embargoEndsAt: string;
  /** Operators whose inventories run an affected version, and the notifications this request created. */
  readonly matchedOperators: number;
  readonly notifications: number;
  readonly deliveries: number;
}

/**
 * Pre-notifies, during a case's embargo, the operators whose inventories match an advisory the coordinator
 * holds for it (issue 16): each gets an `embargo.prenotice` at TLP:AMBER+STRICT naming its matched assets and
 * components and carrying the embargo's end (and the coordinator's note). Coordinator staff only
 * (`notify.prenotice.send`); the case must be under embargo (409 `not-under-embargo`). Sending again tells
 * nobody twice for the same embargo end. Audited as `notify.prenotice.send` before anything is sent.
 */
export async function sendPrenotice(ctx: ServiceContext, deps: TargetingDeps, input: PrenoticeInput): Promise<PrenoticeResult> {
  authorize(ctx.actor, 'notify.prenotice.send');
  const r = new FieldReader();
  const caseId = r.text('/caseId', input.caseId, 64);
  const advisoryId = r.text('/advisoryId', input.advisoryId, 200);
  const note = r.optionalText('/note', input.note, 2000);
  r.done();
  const detail = await getCase(ctx, caseId);
  const { state, endsAt } = detail.embargo;
  if ((state !== 'active' && state !== 'revise') || endsAt === null)
    throw new ConflictError(`case ${detail.number} is not under embargo (${state}): a pre-notice is for an embargo in force`, {
      code: 'not-under-embargo',
    });
  const advisory = await getAdvisory(ctx, advisoryId);
  await withTransaction(ctx.db, (trx) =>
    ctx.audit.record(trx, ctx.actor, {
      action: 'notify.prenotice.send',
      subject: { type: 'case', id: detail.id },
      diff: { advisoryId: advisory.id, embargoEndsAt: endsAt, note },
    }),
  );
  const sent = await notifyAffectedOperators(asActor(ctx, systemActor('notify')), deps, {
    type: 'embargo.prenotice',
    advisoryId: advisory.id,
    dedupScope: `case:${detail.id}:until:${endsAt}`,
    sourceEventId: null,
    title: `Pre-notice under embargo until ${endsAt}: ${detail.title}`,
    embargo: { endsAt },
    ...(note === null ? {} : { extra: { text: note } }),
  });
  return {
    caseId: detail.id,
    advisoryId: advisory.id,
    embargoEndsAt: endsAt,
    matchedOperators: sent.matchedOperators,
    notifications: sent.notifications,
    deliveries: sent.deliveries,
  };
}
