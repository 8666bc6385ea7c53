import type { Executor } from '../../../platform/db/index.js';
import { InputError } from '../../../platform/errors.js';
import { groupBy } from '../../../platform/collections.js';
import type { Recipient } from '../domain/access-policy.js';
import * as store from '../store.js';

/** Input for {@link setRecipients}: name organisations, users, or the organisations a recipient serves. */
export interface RecipientInput {
  readonly orgIds?: readonly string[];
  readonly userIds?: readonly string[];
  /** Reached only at TLP:AMBER: organisations the recipients serve (their customers, their sector). */
  readonly servedOrgIds?: readonly string[];
}

/**
 * Replaces who a record is shared with, inside the caller's transaction. A named user is stored with their
 * organisation, which AMBER and AMBER+STRICT then reach too (TLP's "organisation" scope); RED reaches the
 * user alone. Throws InputError naming any unknown org or user.
 */
export async function setRecipients(trx: Executor, recordId: string, input: RecipientInput): Promise<Recipient[]> {
  const rows: Recipient[] = [];
  const issues: { pointer: string; detail: string }[] = [];
  for (const [i, orgId] of (input.orgIds ?? []).entries()) {
    if ((await store.findOrg(trx, orgId)) === undefined)
      issues.push({ pointer: `/recipients/orgIds/${i}`, detail: `no organisation ${orgId}` });
    else rows.push({ orgId, userId: null, scope: 'recipient' });
  }
  for (const [i, userId] of (input.userIds ?? []).entries()) {
    const user = await store.findUser(trx, userId);
    if (user === undefined) issues.push({ pointer: `/recipients/userIds/${i}`, detail: `no user ${userId}` });
    else rows.push({ orgId: user.org_id, userId, scope: 'recipient' });
  }
  for (const [i, orgId] of (input.servedOrgIds ?? []).entries()) {
    if ((await store.findOrg(trx, orgId)) === undefined)
      issues.push({ pointer: `/recipients/servedOrgIds/${i}`, detail: `no organisation ${orgId}` });
    else rows.push({ orgId, userId: null, scope: 'served' });
  }
  if (issues.length > 0) throw new InputError('unknown recipients', issues);
  await store.replaceRecipients(
    trx,
    recordId,
    rows.map((r) => ({ org_id: r.orgId, user_id: r.userId, scope: r.scope })),
  );
  return rows;
}

/** The recipients of each record, for `can()` checks on single records. */
export async function recipientsByRecord(executor: Executor, recordIds: readonly string[]): Promise<Map<string, Recipient[]>> {
  return groupBy(
    await store.recipientsOf(executor, recordIds),
    (row) => row.record_id,
    (row): Recipient => ({ orgId: row.org_id, userId: row.user_id, scope: row.scope as Recipient['scope'] }),
  );
}
