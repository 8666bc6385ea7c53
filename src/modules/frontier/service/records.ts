import { canSee, getOrg, listOrgs, recipientsByRecord, type Org, type ProtectedRecord } from '../../identity/index.js';
import { describeActor, systemActor, type Actor } from '../../../platform/actor.js';
import { asActor, type ServiceContext } from '../../../platform/context.js';
import type { Executor, Page, PageRequest } from '../../../platform/db/index.js';
import { NotFoundError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { isTlp } from '../../../platform/tlp.js';
import type { FrontierPolicy } from '../domain/policy.js';
import { presentPolicy } from '../presenters.js';
import { latestPolicy } from '../store/program.js';
import { findRow, insertRow, pageVisible, type FrontierTables, type Labelled, type ModelRow, type ReviewRow } from '../store/tables.js';

/** Loading records the way every use case needs them: visible to the actor, or not found. */

/** The program acting on its own behalf (jobs, lookups of organisations). */
export const FRONTIER_SYSTEM = systemActor('frontier');

export function asSystem(ctx: ServiceContext): ServiceContext {
  return asActor(ctx, FRONTIER_SYSTEM);
}

async function protectedRecord(executor: Executor, row: Labelled): Promise<ProtectedRecord> {
  const recipients = (await recipientsByRecord(executor, [row.id])).get(row.id) ?? [];
  return { ownerOrgId: row.owner_org_id, tlp: isTlp(row.tlp) ? row.tlp : 'RED', createdBy: row.created_by, recipients };
}

/** Whether the actor may see this labelled row, by identity's access policy. */
export async function visible(executor: Executor, actor: Actor, row: Labelled): Promise<boolean> {
  return canSee(actor, await protectedRecord(executor, row));
}

type LabelledTable = { [K in keyof FrontierTables]: FrontierTables[K] extends Labelled ? K : never }[keyof FrontierTables];

/** The row when it exists and the actor may see it; NotFoundError otherwise, so that existence does not leak. */
export async function loadVisible<K extends LabelledTable>(
  ctx: ServiceContext,
  executor: Executor,
  table: K,
  id: string,
  noun: string,
): Promise<FrontierTables[K]> {
  const row = await findRow(executor, table, id);
  if (row === undefined || !(await visible(executor, ctx.actor, row))) throw new NotFoundError(`no ${noun} ${id}`);
  return row;
}

const TABLE_BY_PREFIX: Record<string, LabelledTable> = {
  grant: 'frontier_grant',
  eval: 'frontier_evaluation',
  risk: 'frontier_risk_finding',
  vuln: 'frontier_vulnerability',
  nom: 'frontier_nomination',
};

/** Whether the actor may see the labelled record with this id, whichever table its prefix names. */
export async function visibleById(executor: Executor, actor: Actor, id: string): Promise<boolean> {
  const table = TABLE_BY_PREFIX[id.slice(0, id.indexOf('_'))];
  const row = table === undefined ? undefined : await findRow(executor, table, id);
  return row !== undefined && visible(executor, actor, row);
}

export function loadModel(ctx: ServiceContext, executor: Executor, id: string): Promise<ModelRow> {
  return loadVisible(ctx, executor, 'frontier_model', id, 'model');
}

/** A review and its model; a review is seen exactly when its model is. */
export async function loadReview(ctx: ServiceContext, executor: Executor, id: string): Promise<{ review: ReviewRow; model: ModelRow }> {
  const review = await findRow(executor, 'frontier_review', id);
  const model = review === undefined ? undefined : await findRow(executor, 'frontier_model', review.model_id);
  if (review === undefined || model === undefined || !(await visible(executor, ctx.actor, model)))
    throw new NotFoundError(`no review ${id}`);
  return { review, model };
}

type ReviewScoped = 'frontier_evaluation' | 'frontier_risk_finding' | 'frontier_vulnerability';

/** A review's records of one kind, newest first, as far as the actor may see them; 404 when the review is hidden. */
export async function pageOfReview<K extends ReviewScoped, T>(
  ctx: ServiceContext,
  table: K,
  reviewId: string,
  request: PageRequest,
  present: (row: FrontierTables[K]) => T,
): Promise<Page<T>> {
  await loadReview(ctx, ctx.db.kysely, reviewId);
  const page = await pageVisible(
    ctx.db.kysely,
    ctx.actor,
    table,
    { review_id: reviewId } as Partial<Record<keyof FrontierTables[K], string>>,
    request,
  );
  return { items: page.items.map(present), nextCursor: page.nextCursor };
}

/** The policy in force: the latest version (version 1, the default, is installed by the migration). */
export async function currentPolicy(executor: Executor): Promise<FrontierPolicy> {
  const row = await latestPolicy(executor);
  if (row === undefined) throw new Error('the frontier policy table is empty; the frontier migration did not run');
  return presentPolicy(row);
}

/**
 * The program's own context reading through `executor`. Inside a transaction, reads through identity must
 * use the transaction: SQLite has one connection, which a read outside the transaction would wait for forever.
 */
function systemOn(ctx: ServiceContext, executor: Executor): ServiceContext {
  return { ...asSystem(ctx), db: { ...ctx.db, kysely: executor } };
}

/** An organisation by id, whoever asks; NotFoundError when it does not exist. */
export async function orgById(ctx: ServiceContext, executor: Executor, id: string): Promise<Org> {
  return getOrg(systemOn(ctx, executor), id);
}

/** Every coordinator organisation: the program office sees every program record. */
export async function coordinatorOrgIds(ctx: ServiceContext, executor: Executor): Promise<string[]> {
  const page = await listOrgs(systemOn(ctx, executor), { kind: 'coordinator', limit: 500 });
  return page.items.map((o) => o.id);
}

export function actorOrgId(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.orgId : null;
}

export function actorUserId(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.userId : null;
}

/**
 * Appends to a review's timeline, in the caller's transaction. An entry about a labelled record (a grant,
 * an evaluation, a finding) is `restrictedTo` it: only those who may see that record see the entry.
 */
export async function addTimeline(
  trx: Executor,
  ctx: ServiceContext,
  reviewId: string,
  kind: string,
  detail: unknown,
  restrictedTo: string | null = null,
): Promise<void> {
  await insertRow(trx, 'frontier_review_event', {
    id: newId('tl'),
    review_id: reviewId,
    at: ctx.clock.now().toISOString(),
    kind,
    actor: describeActor(ctx.actor),
    actor_org_id: actorOrgId(ctx.actor),
    restricted_to: restrictedTo,
    detail: JSON.stringify(detail ?? {}),
  });
}
