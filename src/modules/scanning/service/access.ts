import type { Actor } from '../../../platform/actor.js';
import type { ServiceContext } from '../../../platform/context.js';
import type { Executor } from '../../../platform/db/index.js';
import { AuthenticationError, NotFoundError } from '../../../platform/errors.js';
import type { Tlp } from '../../../platform/tlp.js';
import type { UserActor } from '../../../platform/actor.js';
import { canSee, listOrgs, recipientsByRecord, type ProtectedRecord } from '../../identity/index.js';
import * as campaigns from '../store/campaigns.js';
import type { CampaignRow } from '../store/tables.js';

/**
 * Campaigns are labelled records (TLP, owner, recipients) read through identity's access policy. Their
 * recipients are the coordinator and the operators whose declared assets they touch.
 */

export function userOf(ctx: ServiceContext): UserActor {
  if (ctx.actor.kind === 'user') return ctx.actor;
  throw new AuthenticationError('this needs a signed-in user');
}

/** The organisation an actor acts for; null for the local operator (the system actor). */
export function orgOf(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.orgId : null;
}

export async function coordinatorOrgIds(ctx: ServiceContext): Promise<string[]> {
  return (await listOrgs({ ...ctx, actor: { kind: 'system', name: 'scanning' } }, { kind: 'coordinator', limit: 10 })).items.map(
    (o) => o.id,
  );
}

export async function campaignRecords(executor: Executor, rows: readonly CampaignRow[]): Promise<Map<string, ProtectedRecord>> {
  const recipients = await recipientsByRecord(
    executor,
    rows.map((r) => r.id),
  );
  return new Map(
    rows.map((r) => [
      r.id,
      { ownerOrgId: r.owner_org_id, tlp: r.tlp as Tlp, createdBy: r.created_by, recipients: recipients.get(r.id) ?? [] },
    ]),
  );
}

/** The campaign if the actor may see it; NotFoundError otherwise, so that its existence does not leak. */
export async function visibleCampaign(ctx: ServiceContext, id: string): Promise<CampaignRow> {
  const row = await campaigns.findCampaign(ctx.db.kysely, id);
  if (row !== undefined) {
    const record = (await campaignRecords(ctx.db.kysely, [row])).get(row.id);
    if (record !== undefined && canSee(ctx.actor, record)) return row;
  }
  throw new NotFoundError(`no campaign ${id}`);
}

/**
 * Whether every member of an organisation may see the record — what an event addressed to the organisation
 * may say about it. TLP:RED names users, never whole organisations.
 */
export function organisationMaySee(orgId: string, record: ProtectedRecord): boolean {
  switch (record.tlp) {
    case 'CLEAR':
    case 'GREEN':
      return true;
    case 'AMBER':
      return record.ownerOrgId === orgId || record.recipients.some((r) => r.orgId === orgId);
    case 'AMBER+STRICT':
      return record.ownerOrgId === orgId || record.recipients.some((r) => r.orgId === orgId && r.scope === 'recipient');
    case 'RED':
      return false;
  }
}
