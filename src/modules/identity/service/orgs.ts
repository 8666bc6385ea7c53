import type { ServiceContext } from '../../../platform/context.js';
import { withTransaction, type Executor, type Page, type PageRequest } from '../../../platform/db/index.js';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { canCreateOrg, canManageUsers, canSeeOrg, isCoordinator } from '../domain/access-policy.js';
import { orgNameKey, parseNewOrg } from '../domain/inputs.js';
import { isOrgKind } from '../domain/org.js';
import { presentOrg, type Org } from '../presenters.js';
import * as store from '../store.js';

/** Creates an organisation. Coordinator admins only. Throws ConflictError when the name is taken. */
export async function createOrg(ctx: ServiceContext, input: { name?: unknown; kind?: unknown; sectors?: unknown }): Promise<Org> {
  if (!canCreateOrg(ctx.actor)) throw new NotAllowedError('only coordinator admins create organisations');
  const org = parseNewOrg(input);
  return withTransaction(
    ctx.db,
    async (trx) => {
      const key = orgNameKey(org.name);
      if (await store.findOrgByNameKey(trx, key))
        throw new ConflictError(`an organisation named "${org.name}" exists already`, { code: 'org-name-taken' });
      const row: store.OrgRow = {
        id: newId('org'),
        name: org.name,
        name_key: key,
        kind: org.kind,
        sectors: JSON.stringify(org.sectors),
        created_at: ctx.clock.now().toISOString(),
      };
      await store.insertOrg(trx, row);
      await ctx.audit.record(trx, ctx.actor, {
        action: 'identity.org.create',
        subject: { type: 'org', id: row.id },
        orgId: row.id,
        diff: { name: org.name, kind: org.kind, sectors: org.sectors },
      });
      return presentOrg(row);
    },
    { replayOnUniqueViolation: true },
  );
}

/** Organisations the actor may see: all of them for the coordinator, its own for everyone else. */
export async function listOrgs(ctx: ServiceContext, request: PageRequest & { kind?: string | undefined }): Promise<Page<Org>> {
  if (request.kind !== undefined && !isOrgKind(request.kind)) {
    throw new InputError(`unknown organisation kind "${request.kind}"`, [{ pointer: '/kind', detail: 'must be an organisation kind' }]);
  }
  const actor = ctx.actor;
  let onlyId: string | undefined;
  if (!isCoordinator(actor)) {
    if (actor.kind !== 'user') return { items: [], nextCursor: null };
    onlyId = actor.orgId;
  }
  const page = await store.listOrgs(ctx.db.kysely, { onlyId, kind: request.kind }, request);
  return { items: page.items.map(presentOrg), nextCursor: page.nextCursor };
}

/** One organisation; NotFoundError when it does not exist or the actor may not see it. */
export async function getOrg(ctx: ServiceContext, id: string): Promise<Org> {
  const row = canSeeOrg(ctx.actor, id) ? await store.findOrg(ctx.db.kysely, id) : undefined;
  if (row === undefined) throw new NotFoundError(`no organisation ${id}`);
  return presentOrg(row);
}

/**
 * The names of these organisations, by id, for lists that show names next to ids — only of those the actor
 * may see (coordinators: every one; others: their own). One query for any number of ids.
 */
export async function orgNames(ctx: ServiceContext, ids: readonly string[]): Promise<Map<string, string>> {
  const seen = [...new Set(ids)].filter((id) => canSeeOrg(ctx.actor, id));
  return new Map((await store.findOrgNames(ctx.db.kysely, seen)).map((o) => [o.id, o.name]));
}

/** The organisation whose users the actor manages: NotFoundError when it may not see it, NotAllowedError when it only sees it. */
export async function requireManageableOrg(ctx: ServiceContext, executor: Executor, orgId: string): Promise<store.OrgRow> {
  const org = canSeeOrg(ctx.actor, orgId) ? await store.findOrg(executor, orgId) : undefined;
  if (org === undefined) throw new NotFoundError(`no organisation ${orgId}`);
  if (!canManageUsers(ctx.actor, orgId)) throw new NotAllowedError(`only admins of ${org.name} manage its users`);
  return org;
}
