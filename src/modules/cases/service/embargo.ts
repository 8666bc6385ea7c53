import type { ServiceContext } from '../../../platform/context.js';
import { serializeOn, withTransaction, type Executor } from '../../../platform/db/index.js';
import { InputError, NotFoundError, type FieldIssue } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { authorize } from '../../identity/index.js';
import { defaultEmbargoEnd } from '../domain/disclosure-policy.js';
import {
  applyEmbargoAction,
  dueReminders,
  expireEmbargo,
  markRemindersSent,
  type Embargo,
  type EmbargoAction,
  type EmbargoActor,
  type EmbargoTransition,
} from '../domain/embargo.js';
import { readEmbargoEnd } from '../domain/embargo-end.js';
import { EMBARGO_CHANGED, EMBARGO_REMINDER, type EmbargoChangedPayload, type EmbargoReminderPayload } from '../events.js';
import { presentEmbargo, type EmbargoView } from '../presenters.js';
import { casesWithEmbargoEndingBefore, findCase, updateCase } from '../store/cases.js';
import { currentDisclosurePolicy } from '../store/disclosure-policy.js';
import { participantsOf } from '../store/participants.js';
import type { CaseRow } from '../store/tables.js';
import { activeOrgIds, readableCase } from './access.js';
import { recordStep } from './timeline.js';
import { DAY } from '../../../platform/clock.js';

/** Locks the case for the rest of the transaction (every process) and reads it again. */
export async function lockCase(ctx: ServiceContext, trx: Executor, caseId: string): Promise<CaseRow> {
  await serializeOn(trx, ctx.db.caps, `cases.case:${caseId}`);
  const row = await findCase(trx, caseId);
  if (row === undefined) throw new NotFoundError(`no case ${caseId}`);
  return row;
}

/**
 * Stores the embargo after a transition decided under disclosure policy `policyVersion`, with its step on the
 * timeline, the audit line and `cases.embargo.changed` for the case's active participants; the case records
 * the policy version. A transition without a step changes nothing.
 */
export async function storeEmbargo(
  ctx: ServiceContext,
  trx: Executor,
  row: CaseRow,
  transition: EmbargoTransition,
  policyVersion: number,
): Promise<void> {
  const step = transition.step;
  if (step === null) return;
  const embargo = transition.embargo;
  const at = step.at;
  await updateCase(trx, row.id, {
    embargo: JSON.stringify(embargo),
    embargo_state: embargo.state,
    embargo_ends_at: embargo.state === 'active' || embargo.state === 'revise' ? embargo.endsAt : null,
    disclosed_at: embargo.state === 'exited' ? (row.disclosed_at ?? at) : row.disclosed_at,
    disclosure_policy_version: policyVersion,
    updated_at: at,
  });
  const { action, from, to, endsAt, endsAtLocal, timeZone, exitReason } = step;
  const moved = { action, from, to, endsAt, endsAtLocal, timeZone, exitReason };
  const by = step.by.kind === 'policy' ? `policy:${step.by.rule}` : step.by.kind;
  await recordStep(trx, ctx.actor, { caseId: row.id, kind: 'embargo', at, data: { ...moved, by, policyVersion } });
  const participantOrgIds = activeOrgIds(await participantsOf(trx, row.id));
  const payload: EmbargoChangedPayload = { caseId: row.id, number: row.number, ...moved, participantOrgIds, at };
  await ctx.events.emit(trx, { type: EMBARGO_CHANGED, subjectId: row.id, orgId: row.owner_org_id, payload });
  await ctx.audit.record(trx, ctx.actor, {
    action: `cases.embargo.${AUDIT_VERB[step.action]}`,
    subject: { type: 'case', id: row.id },
    orgId: row.owner_org_id,
    diff: { from: step.from, to: step.to, endsAt: step.endsAt, timeZone: step.timeZone, exitReason: step.exitReason, policyVersion },
  });
}

const AUDIT_VERB = {
  propose: 'propose',
  accept: 'accept',
  reject: 'reject',
  exit: 'end',
  'apply-default': 'default',
  expire: 'expire',
} as const;

export const EMBARGO_REQUESTS = ['propose', 'accept', 'reject', 'end', 'leak'] as const;
export type EmbargoRequestAction = (typeof EMBARGO_REQUESTS)[number];

export interface EmbargoRequest {
  readonly action?: unknown;
  /** `propose`: an instant with offset, or a local time with `timeZone`. */
  readonly endsAt?: unknown;
  readonly timeZone?: unknown;
  /** `end`: `published` (the advisory went out) or `terminated` (a coordinator's decision). */
  readonly reason?: unknown;
  readonly note?: unknown;
}

function readRequest(input: EmbargoRequest): { action: EmbargoRequestAction; note: string | null } {
  const issues: FieldIssue[] = [];
  const action = input.action;
  if (typeof action !== 'string' || !(EMBARGO_REQUESTS as readonly string[]).includes(action))
    issues.push({ pointer: '/action', detail: `must be one of ${EMBARGO_REQUESTS.join(', ')}` });
  let note: string | null = null;
  if (input.note !== undefined && input.note !== null) {
    if (typeof input.note !== 'string' || input.note.length > 2000)
      issues.push({ pointer: '/note', detail: 'must be text of at most 2000 characters' });
    else note = input.note.trim() === '' ? null : input.note.trim();
  }
  if (action === 'end' && input.reason !== 'published' && input.reason !== 'terminated')
    issues.push({ pointer: '/reason', detail: 'must be published or terminated' });
  if (issues.length > 0)
    throw new InputError(`the embargo request is not valid: ${issues.map((i) => `${i.pointer} ${i.detail}`).join('; ')}`, issues);
  return { action: action as EmbargoRequestAction, note };
}

/**
 * Moves a case's embargo (after the Vultron embargo states):
 * - `propose` an end (any active participant's analysts and admins, coordinators): `initial`, or a revision of
 *   the embargo in force; the earliest pending proposal wins when a coordinator accepts;
 * - `accept` / `reject` the pending proposals, `end` it as `published` or `terminated` (coordinators);
 * - `leak`: any participant reports the vulnerability public, which ends the embargo at once.
 *
 * @throws InputError naming `/action`, `/endsAt`, `/timeZone`, `/reason`, `/note`.
 * @throws ConflictError `illegal-transition` naming the state and the actions it accepts.
 * @throws NotFoundError for a case the caller does not take part in.
 */
export async function moveEmbargo(ctx: ServiceContext, idOrNumber: string, input: EmbargoRequest): Promise<EmbargoView> {
  const request = readRequest(input);
  const access = await readableCase(ctx, idOrNumber);
  const decides = request.action === 'accept' || request.action === 'reject' || request.action === 'end';
  authorize(ctx.actor, decides ? 'cases.embargo.decide' : 'cases.embargo.propose');
  const end = request.action === 'propose' ? readEmbargoEnd({ endsAt: input.endsAt, timeZone: input.timeZone }) : null;
  const by: EmbargoActor =
    ctx.actor.kind === 'user' ? { kind: 'participant', orgId: ctx.actor.orgId, userId: ctx.actor.userId } : { kind: 'system' };
  const action: EmbargoAction =
    request.action === 'propose'
      ? { type: 'propose', proposalId: newId('emb'), endsAt: end!.endsAt, timeZone: end!.timeZone, note: request.note }
      : request.action === 'accept'
        ? { type: 'accept' }
        : request.action === 'reject'
          ? { type: 'reject', note: request.note }
          : { type: 'exit', reason: request.action === 'leak' ? 'leak' : (input.reason as 'published' | 'terminated'), note: request.note };
  const embargo = await withTransaction(ctx.db, async (trx) => {
    const row = await lockCase(ctx, trx, access.row.id);
    const { version, policy } = await currentDisclosurePolicy(trx);
    const transition = applyEmbargoAction(JSON.parse(row.embargo) as Embargo, action, by, ctx.clock.now(), policy);
    await storeEmbargo(ctx, trx, row, transition, version);
    return transition.embargo;
  });
  return presentEmbargo(embargo, access.orgId, access.coordinator);
}

/**
 * The policy's default deadline at the first vendor contact (45 days, 7 when actively exploited), competing
 * with what is proposed or in force: the earliest wins. Call in the transaction that made a vendor active.
 */
export async function applyFirstContactDefault(ctx: ServiceContext, trx: Executor, caseId: string): Promise<void> {
  const row = await lockCase(ctx, trx, caseId);
  const embargo = JSON.parse(row.embargo) as Embargo;
  if (embargo.state === 'exited') return;
  const { version, policy } = await currentDisclosurePolicy(trx);
  const now = ctx.clock.now();
  const exploited = row.exploited === 1;
  const transition = applyEmbargoAction(
    embargo,
    {
      type: 'apply-default',
      proposalId: newId('emb'),
      endsAt: defaultEmbargoEnd(now, exploited, policy),
      timeZone: policy.defaultTimeZone,
      rule: exploited ? 'actively-exploited' : 'first-vendor-contact',
    },
    { kind: 'policy', rule: exploited ? 'actively-exploited' : 'first-vendor-contact' },
    now,
    policy,
  );
  await storeEmbargo(ctx, trx, row, transition, version);
}

/**
 * The embargo sweep: ends every embargo whose deadline has passed and sends the reminders due
 * (`cases.embargo.reminder`, 7 and 1 day before by default). Idempotent; runs from a schedule.
 */
export async function sweepEmbargoes(ctx: ServiceContext, limit = 200): Promise<{ expired: number; reminded: number }> {
  const { version, policy } = await currentDisclosurePolicy(ctx.db.kysely);
  const now = ctx.clock.now();
  const horizon = new Date(now.getTime() + Math.max(0, ...policy.reminderDaysBefore) * DAY).toISOString();
  let expired = 0;
  let reminded = 0;
  for (const candidate of await casesWithEmbargoEndingBefore(ctx.db.kysely, horizon, limit)) {
    await withTransaction(ctx.db, async (trx) => {
      const row = await lockCase(ctx, trx, candidate.id);
      const embargo = JSON.parse(row.embargo) as Embargo;
      const ended = expireEmbargo(embargo, now);
      if (ended.step !== null) {
        await storeEmbargo(ctx, trx, row, ended, version);
        expired += 1;
        return;
      }
      const due = dueReminders(embargo, now, policy);
      if (due.length === 0) return;
      const participantOrgIds = activeOrgIds(await participantsOf(trx, row.id));
      for (const reminder of due) {
        const payload: EmbargoReminderPayload = {
          caseId: row.id,
          number: row.number,
          daysBefore: reminder.daysBefore,
          endsAt: reminder.endsAt,
          endsAtLocal: reminder.endsAtLocal,
          participantOrgIds,
          at: now.toISOString(),
        };
        await ctx.events.emit(trx, { type: EMBARGO_REMINDER, subjectId: row.id, orgId: row.owner_org_id, payload });
      }
      await updateCase(trx, row.id, { embargo: JSON.stringify(markRemindersSent(embargo, due, policy)) });
      reminded += due.length;
    });
  }
  return { expired, reminded };
}
