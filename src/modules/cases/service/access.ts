import { systemActor, type Actor, type UserActor } from '../../../platform/actor.js';
import { asActor, type ServiceContext } from '../../../platform/context.js';
import type { Executor } from '../../../platform/db/index.js';
import { NotFoundError } from '../../../platform/errors.js';
import { getOrg, holds, listOrgs } from '../../identity/index.js';
import { findCase } from '../store/cases.js';
import { participantsOf } from '../store/participants.js';
import type { CaseRow, ParticipantRow } from '../store/tables.js';

/**
 * Who reads a case. Coordinators (the permission `cases.case.oversee`) read every case and all of it; an
 * organisation taking part (an active participant) reads the case, the common thread and its own channel,
 * its own statements and those others approved for sharing; nobody else learns that the case exists.
 */
export interface CaseAccess {
  readonly row: CaseRow;
  readonly participants: readonly ParticipantRow[];
  /** Reads everything: a coordinator, or the system. */
  readonly coordinator: boolean;
  /** The reader's organisation; null for the system. */
  readonly orgId: string | null;
  /** The reader's own participation, when active. */
  readonly me: ParticipantRow | null;
}

export function overseesCases(actor: Actor): boolean {
  return holds(actor, 'cases.case.oversee');
}

export function orgOf(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.orgId : null;
}

/**
 * The case (by id or `CH-` number) with its participants, if the actor may read it; NotFoundError
 * otherwise, so that its existence does not leak. Pass the transaction to read under its lock.
 */
export async function readableCase(ctx: ServiceContext, idOrNumber: string, executor: Executor = ctx.db.kysely): Promise<CaseAccess> {
  const row = await findCase(executor, idOrNumber);
  if (row !== undefined) {
    const participants = await participantsOf(executor, row.id);
    const orgId = orgOf(ctx.actor);
    const me = orgId === null ? null : (participants.find((p) => p.org_id === orgId && p.state === 'active') ?? null);
    const coordinator = overseesCases(ctx.actor);
    if (coordinator || me !== null) return { row, participants, coordinator, orgId, me };
  }
  throw new NotFoundError(`no case ${idOrNumber}`);
}

/** The organisations active in the case: who events about it are for. */
export function activeOrgIds(participants: readonly ParticipantRow[]): string[] {
  return participants.filter((p) => p.state === 'active').map((p) => p.org_id);
}

/** The coordinator organisation a case opened by the system (the local CLI, the policy) belongs to. */
export async function coordinatorOrgId(ctx: ServiceContext): Promise<string> {
  if (ctx.actor.kind === 'user') return ctx.actor.orgId;
  const orgs = await listOrgs({ ...ctx, actor: { kind: 'system', name: 'cases' } }, { kind: 'coordinator', limit: 1 });
  const first = orgs.items[0];
  if (first === undefined) throw new NotFoundError('no coordinator organisation: run clearinghouse init first');
  return first.id;
}

/**
 * An organisation as a whole, as a reader: what every member of it may see (by TLP and by what was shared
 * with the organisation), nothing shared with one member by name — for what is derived on the organisation's
 * behalf and read by all its members (statements matched from its VEX documents). The user id is no user's.
 *
 * @throws NotFoundError for an unknown organisation.
 */
export async function organisationReader(ctx: ServiceContext, orgId: string): Promise<UserActor> {
  const org = await getOrg(asActor(ctx, systemActor('cases')), orgId);
  return { kind: 'user', userId: '', orgId: org.id, orgKind: org.kind, role: 'viewer', tokenId: null };
}
