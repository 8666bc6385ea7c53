import type { ServiceContext } from '../../../platform/context.js';
import { withTransaction } from '../../../platform/db/index.js';
import { ConflictError, InputError, NotFoundError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { authorize, isCoordinator } from '../../identity/index.js';
import { formatCidr, parseCidr, type Cidr } from '../domain/ip-address.js';
import { presentAllowlistEntry, type AllowlistEntry } from '../presenters.js';
import { deleteAllowlistEntry, findAllowlistEntry, insertAllowlistEntry, listAllowlist } from '../store/allowlist.js';
import type { AllowlistRow } from '../store/tables.js';

/** The allow-list as the dispatcher and the URL check read it. */
export async function allowListBlocks(ctx: Pick<ServiceContext, 'db'>): Promise<Cidr[]> {
  return (await listAllowlist(ctx.db.kysely)).flatMap((row) => parseCidr(row.cidr) ?? []);
}

/** The allow-list, for coordinators (others see nothing of it: 404-free, an empty list). */
export async function getAllowlist(ctx: ServiceContext): Promise<AllowlistEntry[]> {
  if (!isCoordinator(ctx.actor)) return [];
  return (await listAllowlist(ctx.db.kysely)).map(presentAllowlistEntry);
}

/**
 * Allows webhook destinations in a block that is not public (a receiver on a private network, loopback for
 * tests). Coordinator admins only; audited `notify.allowlist.add`. Cloud metadata services stay refused.
 */
export async function addAllowlistEntry(
  ctx: ServiceContext,
  input: { readonly cidr: string; readonly note?: string | null },
): Promise<AllowlistEntry> {
  authorize(ctx.actor, 'notify.allowlist.manage');
  const cidr = parseCidr(input.cidr.trim());
  if (cidr === null) {
    throw new InputError(`${input.cidr} is not an IP address or CIDR block`, [
      { pointer: '/cidr', detail: 'must be an address or a block such as 10.1.0.0/16 or fd00::/8' },
    ]);
  }
  const canonical = formatCidr(cidr);
  const row: AllowlistRow = {
    id: newId('alw'),
    cidr: canonical,
    note: input.note?.trim() || null,
    created_by: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
    created_at: ctx.clock.now().toISOString(),
  };
  return withTransaction(ctx.db, async (trx) => {
    if (!(await insertAllowlistEntry(trx, row)))
      throw new ConflictError(`${canonical} is allow-listed already`, { code: 'allowlist-duplicate' });
    await ctx.audit.record(trx, ctx.actor, {
      action: 'notify.allowlist.add',
      subject: { type: 'allowlist', id: row.id },
      diff: { cidr: canonical, note: row.note },
    });
    return presentAllowlistEntry(row);
  });
}

export async function removeAllowlistEntry(ctx: ServiceContext, id: string): Promise<void> {
  authorize(ctx.actor, 'notify.allowlist.manage');
  await withTransaction(ctx.db, async (trx) => {
    const row = await findAllowlistEntry(trx, id);
    if (row === undefined) throw new NotFoundError(`no allow-list entry ${id}`);
    await deleteAllowlistEntry(trx, id);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'notify.allowlist.remove',
      subject: { type: 'allowlist', id },
      diff: { cidr: row.cidr },
    });
  });
}
