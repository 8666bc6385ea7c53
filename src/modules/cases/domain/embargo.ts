import { DAY } from '../../../platform/clock.js';
import { ConflictError, InputError } from '../../../platform/errors.js';
import { formatInZone } from '../../../platform/zoned-time.js';
import type { DisclosurePolicy } from './disclosure-policy.js';

/**
 * The embargo of a case as a state machine, after the embargo-management states of CERT/CC's Vultron
 * protocol: none → proposed → active ⇄ revise → exited. Proposals carry an exact instant (stored in UTC,
 * shown in the zone it was proposed in). Whenever several proposals compete, the earliest instant wins: an
 * embargo lasts only as long as every party can accept. A reported leak ends it at once, from any state.
 *
 * Pure: every function takes the current embargo, the action and "now", and answers the next embargo and
 * the step it took, for the case timeline. Who may take which action is decided by the service.
 */

export const EMBARGO_STATES = ['none', 'proposed', 'active', 'revise', 'exited'] as const;
export type EmbargoState = (typeof EMBARGO_STATES)[number];

/** Why an embargo ended: its deadline passed, a leak was reported, the advisory was published early, or a coordinator ended it. */
export const EMBARGO_EXIT_REASONS = ['deadline', 'leak', 'published', 'terminated'] as const;
export type EmbargoExitReason = (typeof EMBARGO_EXIT_REASONS)[number];

/** Who moved the embargo: a participant, or the disclosure policy (with the rule that applied). */
export type EmbargoActor =
  | { readonly kind: 'participant'; readonly orgId: string; readonly userId: string | null }
  | { readonly kind: 'policy'; readonly rule: 'first-vendor-contact' | 'actively-exploited' }
  | { readonly kind: 'system' };

export interface EmbargoProposal {
  readonly id: string;
  /** UTC ISO instant. */
  readonly endsAt: string;
  /** The zone the proposer meant; the instant is shown in it. */
  readonly timeZone: string;
  readonly by: EmbargoActor;
  readonly at: string;
  /** `initial` while no embargo is in force, `revision` of an active one. */
  readonly kind: 'initial' | 'revision';
  readonly status: 'pending' | 'accepted' | 'rejected' | 'superseded';
  readonly note: string | null;
}

export interface Embargo {
  readonly state: EmbargoState;
  /** When the embargo in force ends (UTC ISO); null unless active or under revision. */
  readonly endsAt: string | null;
  readonly timeZone: string | null;
  /** When `endsAt` last changed: reminders due before that moment are not sent late. */
  readonly endsAtSetAt: string | null;
  readonly exitedAt: string | null;
  readonly exitReason: EmbargoExitReason | null;
  readonly proposals: readonly EmbargoProposal[];
  /** The `reminderDaysBefore` values already sent for the current `endsAt`. */
  readonly remindersSent: readonly number[];
}

export const NO_EMBARGO: Embargo = Object.freeze({
  state: 'none',
  endsAt: null,
  timeZone: null,
  endsAtSetAt: null,
  exitedAt: null,
  exitReason: null,
  proposals: Object.freeze([]),
  remindersSent: Object.freeze([]),
});

export type EmbargoAction =
  | {
      readonly type: 'propose';
      readonly proposalId: string;
      readonly endsAt: Date;
      readonly timeZone: string;
      readonly note?: string | null;
    }
  | { readonly type: 'accept' }
  | { readonly type: 'reject'; readonly note?: string | null }
  | { readonly type: 'exit'; readonly reason: Exclude<EmbargoExitReason, 'deadline'>; readonly note?: string | null }
  | {
      readonly type: 'apply-default';
      readonly proposalId: string;
      readonly endsAt: Date;
      readonly timeZone: string;
      readonly rule: 'first-vendor-contact' | 'actively-exploited';
    };

/** One step of the embargo, as the case timeline shows it and `cases.embargo.changed` carries it. */
export interface EmbargoStep {
  readonly action: EmbargoAction['type'] | 'expire';
  readonly from: EmbargoState;
  readonly to: EmbargoState;
  readonly by: EmbargoActor;
  readonly at: string;
  /** The end in force after the step, UTC and as local time in its zone. */
  readonly endsAt: string | null;
  readonly endsAtLocal: string | null;
  readonly timeZone: string | null;
  readonly proposalId: string | null;
  readonly exitReason: EmbargoExitReason | null;
  readonly note: string | null;
}

const ACTIONS_IN: Readonly<Record<EmbargoState, readonly EmbargoAction['type'][]>> = Object.freeze({
  none: ['propose', 'apply-default', 'exit'],
  proposed: ['propose', 'accept', 'reject', 'apply-default', 'exit'],
  active: ['propose', 'apply-default', 'exit'],
  revise: ['propose', 'accept', 'reject', 'apply-default', 'exit'],
  exited: [],
});

/** The actions the embargo accepts in `state` (none once exited). */
export function allowedEmbargoActions(state: EmbargoState): readonly EmbargoAction['type'][] {
  return ACTIONS_IN[state];
}

function refuse(embargo: Embargo, action: EmbargoAction): ConflictError {
  const allowed = ACTIONS_IN[embargo.state];
  const next = allowed.length === 0 ? 'the embargo has ended and takes no further action' : `it accepts ${allowed.join(', ')}`;
  const exitOnly = action.type === 'exit' && embargo.state === 'none' && action.reason !== 'leak';
  const why = exitOnly ? 'there is no embargo to end; only a leak may be reported' : next;
  return new ConflictError(`the embargo is ${embargo.state} and cannot take "${action.type}": ${why}`, { code: 'illegal-transition' });
}

function pending(embargo: Embargo, kind: EmbargoProposal['kind']): EmbargoProposal[] {
  return embargo.proposals.filter((p) => p.status === 'pending' && p.kind === kind);
}

/** The earliest of the proposals; among equal instants the first made. */
export function earliestProposal(proposals: readonly EmbargoProposal[]): EmbargoProposal | null {
  let best: EmbargoProposal | null = null;
  for (const p of proposals) if (best === null || Date.parse(p.endsAt) < Date.parse(best.endsAt)) best = p;
  return best;
}

function checkProposedEnd(endsAt: Date, timeZone: string, now: Date, policy: DisclosurePolicy): void {
  const issues = [];
  if (!(endsAt.getTime() > now.getTime()))
    issues.push({ pointer: '/endsAt', detail: `must lie in the future (now is ${formatInZone(now, timeZone)})` });
  const latest = new Date(now.getTime() + policy.maxEmbargoDays * DAY);
  if (endsAt.getTime() > latest.getTime())
    issues.push({
      pointer: '/endsAt',
      detail: `must be at most ${policy.maxEmbargoDays} days ahead under the disclosure policy (by ${formatInZone(latest, timeZone)})`,
    });
  if (issues.length > 0)
    throw new InputError(`The proposed embargo end ${formatInZone(endsAt, timeZone)} ${issues.map((i) => i.detail).join('; ')}`, issues);
}

function withStatus(proposals: readonly EmbargoProposal[], ids: ReadonlySet<string>, status: EmbargoProposal['status']): EmbargoProposal[] {
  return proposals.map((p) => (ids.has(p.id) ? { ...p, status } : p));
}

function setEnd(embargo: Embargo, winner: EmbargoProposal, at: string): Embargo {
  const changed = embargo.endsAt !== winner.endsAt;
  return {
    ...embargo,
    endsAt: winner.endsAt,
    timeZone: winner.timeZone,
    endsAtSetAt: changed ? at : embargo.endsAtSetAt,
    remindersSent: changed ? [] : embargo.remindersSent,
  };
}

const inForce = (embargo: Embargo): boolean => embargo.state === 'active' || embargo.state === 'revise';

/** A pending proposal: `initial` while no embargo is in force, a `revision` of the one in force otherwise. */
function newProposal(
  embargo: Embargo,
  action: { readonly proposalId: string; readonly endsAt: Date; readonly timeZone: string },
  by: EmbargoActor,
  at: string,
  note: string | null,
): EmbargoProposal {
  const kind = inForce(embargo) ? 'revision' : 'initial';
  return { id: action.proposalId, endsAt: action.endsAt.toISOString(), timeZone: action.timeZone, by, at, kind, status: 'pending', note };
}

export interface EmbargoTransition {
  readonly embargo: Embargo;
  /** Null when the action changed nothing (a default later than the embargo in force). */
  readonly step: EmbargoStep | null;
}

function stepOf(
  before: Embargo,
  after: Embargo,
  action: EmbargoStep['action'],
  by: EmbargoActor,
  at: string,
  extra: Partial<EmbargoStep>,
): EmbargoStep {
  return {
    action,
    from: before.state,
    to: after.state,
    by,
    at,
    endsAt: after.endsAt,
    endsAtLocal: after.endsAt === null || after.timeZone === null ? null : formatInZone(after.endsAt, after.timeZone),
    timeZone: after.timeZone,
    proposalId: null,
    exitReason: after.exitReason,
    note: null,
    ...extra,
  };
}

/**
 * Applies one action to the embargo at `now`.
 *
 * - `propose`: a new end, as an `initial` proposal (none/proposed → proposed) or a `revision` of the embargo
 *   in force (active/revise → revise). The end must lie in the future and within `maxEmbargoDays`.
 * - `accept`: the earliest pending proposal becomes the end (proposed → active, revise → active); the others
 *   are superseded.
 * - `reject`: every pending proposal is rejected (proposed → none, revise → active with the end unchanged).
 * - `apply-default`: the policy's deadline (first vendor contact, active exploitation) competes with what is
 *   proposed or in force and the earliest wins; it puts an embargo in force at once from none or proposed.
 * - `exit`: ends the embargo for a leak (from any state, none included: a leaked vulnerability can no longer
 *   be embargoed), an early publication or a coordinator's decision.
 *
 * @throws ConflictError `illegal-transition` naming the state and the actions it accepts.
 * @throws InputError for a proposed end in the past or beyond the policy's maximum.
 */
export function applyEmbargoAction(
  embargo: Embargo,
  action: EmbargoAction,
  by: EmbargoActor,
  now: Date,
  policy: DisclosurePolicy,
): EmbargoTransition {
  if (!ACTIONS_IN[embargo.state].includes(action.type)) throw refuse(embargo, action);
  const at = now.toISOString();
  const note = 'note' in action ? (action.note ?? null) : null;
  switch (action.type) {
    case 'propose': {
      checkProposedEnd(action.endsAt, action.timeZone, now, policy);
      const proposal = newProposal(embargo, action, by, at, note);
      const next: Embargo = { ...embargo, state: inForce(embargo) ? 'revise' : 'proposed', proposals: [...embargo.proposals, proposal] };
      return {
        embargo: next,
        step: stepOf(embargo, next, 'propose', by, at, {
          proposalId: proposal.id,
          note,
          endsAt: proposal.endsAt,
          endsAtLocal: formatInZone(proposal.endsAt, proposal.timeZone),
          timeZone: proposal.timeZone,
        }),
      };
    }
    case 'accept': {
      const candidates = pending(embargo, embargo.state === 'proposed' ? 'initial' : 'revision');
      const winner = earliestProposal(candidates);
      if (winner === null) throw refuse(embargo, action);
      const losers = new Set(candidates.filter((p) => p.id !== winner.id).map((p) => p.id));
      const proposals = withStatus(withStatus(embargo.proposals, new Set([winner.id]), 'accepted'), losers, 'superseded');
      const next: Embargo = { ...setEnd({ ...embargo, proposals }, winner, at), state: 'active' };
      return { embargo: next, step: stepOf(embargo, next, 'accept', by, at, { proposalId: winner.id }) };
    }
    case 'reject': {
      const ids = new Set(pending(embargo, embargo.state === 'proposed' ? 'initial' : 'revision').map((p) => p.id));
      const next: Embargo = {
        ...embargo,
        state: embargo.state === 'proposed' ? 'none' : 'active',
        proposals: withStatus(embargo.proposals, ids, 'rejected'),
      };
      return { embargo: next, step: stepOf(embargo, next, 'reject', by, at, { note }) };
    }
    case 'apply-default':
      return applyDefault(embargo, action, by, at);
    case 'exit': {
      if (embargo.state === 'none' && action.reason !== 'leak') throw refuse(embargo, action);
      return exitEmbargo(embargo, 'exit', action.reason, by, at, note);
    }
  }
}

function applyDefault(
  embargo: Embargo,
  action: Extract<EmbargoAction, { type: 'apply-default' }>,
  by: EmbargoActor,
  at: string,
): EmbargoTransition {
  const proposal = newProposal(embargo, action, by, at, null);
  if (inForce(embargo)) {
    // The embargo in force stands unless the policy's deadline is earlier.
    if (embargo.endsAt !== null && Date.parse(embargo.endsAt) <= Date.parse(proposal.endsAt)) return { embargo, step: null };
    const accepted = { ...proposal, status: 'accepted' as const };
    const next = setEnd({ ...embargo, proposals: [...embargo.proposals, accepted] }, accepted, at);
    return { embargo: next, step: stepOf(embargo, next, 'apply-default', by, at, { proposalId: proposal.id }) };
  }
  // From none or proposed the default puts an embargo in force, the earliest of it and what was proposed.
  const candidates = [...pending(embargo, 'initial'), proposal];
  const winner = earliestProposal(candidates) ?? proposal;
  const losers = new Set(candidates.filter((p) => p.id !== winner.id).map((p) => p.id));
  const proposals = withStatus(withStatus([...embargo.proposals, proposal], new Set([winner.id]), 'accepted'), losers, 'superseded');
  const next: Embargo = { ...setEnd({ ...embargo, proposals }, winner, at), state: 'active' };
  return { embargo: next, step: stepOf(embargo, next, 'apply-default', by, at, { proposalId: winner.id }) };
}

function exitEmbargo(
  embargo: Embargo,
  action: EmbargoStep['action'],
  reason: EmbargoExitReason,
  by: EmbargoActor,
  at: string,
  note: string | null,
): EmbargoTransition {
  const open = new Set(embargo.proposals.filter((p) => p.status === 'pending').map((p) => p.id));
  const next: Embargo = {
    ...embargo,
    state: 'exited',
    exitedAt: at,
    exitReason: reason,
    proposals: withStatus(embargo.proposals, open, 'superseded'),
  };
  return { embargo: next, step: stepOf(embargo, next, action, by, at, { note }) };
}

/** Ends the embargo when its deadline has passed at `now`; answers no step otherwise. */
export function expireEmbargo(embargo: Embargo, now: Date): EmbargoTransition {
  if (!inForce(embargo) || embargo.endsAt === null) return { embargo, step: null };
  if (now.getTime() < Date.parse(embargo.endsAt)) return { embargo, step: null };
  return exitEmbargo(embargo, 'expire', 'deadline', { kind: 'system' }, now.toISOString(), null);
}

export interface EmbargoReminder {
  readonly daysBefore: number;
  /** When the reminder fell due. */
  readonly dueAt: string;
  readonly endsAt: string;
  readonly endsAtLocal: string;
}

/**
 * The reminders due at `now` and not yet sent for the end in force: `daysBefore` days before it, from
 * the policy. A reminder whose moment had already passed when the end was set is never sent (an embargo
 * set three days out gets the one-day reminder only); of several due at once, only the nearest is.
 */
export function dueReminders(embargo: Embargo, now: Date, policy: DisclosurePolicy): EmbargoReminder[] {
  if (!inForce(embargo) || embargo.endsAt === null || embargo.endsAtSetAt === null) return [];
  const end = Date.parse(embargo.endsAt);
  const setAt = Date.parse(embargo.endsAtSetAt);
  if (now.getTime() >= end) return [];
  const due = [...policy.reminderDaysBefore]
    .filter((days) => !embargo.remindersSent.includes(days))
    .map((days) => ({ days, dueAt: end - days * DAY }))
    .filter((r) => r.dueAt >= setAt && r.dueAt <= now.getTime())
    .sort((a, b) => a.days - b.days);
  const nearest = due[0];
  if (nearest === undefined) return [];
  return [
    {
      daysBefore: nearest.days,
      dueAt: new Date(nearest.dueAt).toISOString(),
      endsAt: embargo.endsAt,
      endsAtLocal: formatInZone(embargo.endsAt, embargo.timeZone ?? 'UTC'),
    },
  ];
}

/**
 * Records reminders as sent. The ones for more days before than the sent one are recorded too: they are
 * past and will not be sent late.
 */
export function markRemindersSent(embargo: Embargo, sent: readonly EmbargoReminder[], policy: DisclosurePolicy): Embargo {
  const smallest = Math.min(...sent.map((r) => r.daysBefore));
  if (!Number.isFinite(smallest)) return embargo;
  const covered = policy.reminderDaysBefore.filter((d) => d >= smallest);
  return { ...embargo, remindersSent: [...new Set([...embargo.remindersSent, ...covered])].sort((a, b) => b - a) };
}
