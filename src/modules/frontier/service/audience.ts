import { setRecipients } from '../../identity/index.js';
import type { ServiceContext } from '../../../platform/context.js';
import type { Executor } from '../../../platform/db/index.js';
import { granteeOrgsOfModel } from '../store/grants.js';
import { nominationsOf } from '../store/partners.js';
import { coordinatorOrgIds, orgById } from './records.js';

/**
 * Who sees what, kept as identity recipients (TLP:AMBER+STRICT: the owner org and the recipient orgs):
 * - a model (and with it its reviews): the coordinator and every organisation granted access to it;
 * - a nomination: the coordinator, the agencies granted access, and the nominating organisation — never
 *   other partners, and never the candidate until a grant makes it a partner;
 * - a grant: the coordinator and its grantee — so a partner sees only its own grants;
 * - an evaluation or risk finding: the coordinator and the developer (its author owns it).
 * Called in the transaction of every change that alters an audience.
 */

export const PROGRAM_TLP = 'AMBER+STRICT';

const distinct = (ids: readonly (string | null)[]) => [...new Set(ids.filter((id): id is string => id !== null))].sort();

export async function shareModel(trx: Executor, ctx: ServiceContext, modelId: string): Promise<void> {
  const orgIds = distinct([...(await coordinatorOrgIds(ctx, trx)), ...(await granteeOrgsOfModel(trx, modelId))]);
  await setRecipients(trx, modelId, { orgIds });
  await shareNominations(trx, ctx, modelId);
}

export async function shareNominations(trx: Executor, ctx: ServiceContext, modelId: string): Promise<void> {
  const coordinators = await coordinatorOrgIds(ctx, trx);
  const agencies: string[] = [];
  for (const orgId of await granteeOrgsOfModel(trx, modelId)) {
    if ((await orgById(ctx, trx, orgId)).kind === 'agency') agencies.push(orgId);
  }
  for (const nomination of await nominationsOf(trx, modelId)) {
    const nominator = nomination.nominated_by_org_id === nomination.owner_org_id ? null : nomination.nominated_by_org_id;
    await setRecipients(trx, nomination.id, { orgIds: distinct([...coordinators, ...agencies, nominator]) });
  }
}

/** Shares a record with the coordinator and the given organisations (a grantee, or the developer). */
export async function shareWith(trx: Executor, ctx: ServiceContext, recordId: string, orgIds: readonly string[]): Promise<void> {
  await setRecipients(trx, recordId, { orgIds: distinct([...(await coordinatorOrgIds(ctx, trx)), ...orgIds]) });
}
