import type { ServiceContext } from '../../../platform/context.js';
import { chunks, withTransaction, type Executor } from '../../../platform/db/index.js';
import { affectedOperators, affectedOperatorsAmong, readableAdvisories } from '../../inventory/index.js';
import { fanOut, type FanOutDetail, type FanOutResult } from './fan-out.js';
import { remediationLinkMaker } from './links.js';
import {
  decisionsOfPages,
  plannedNotices,
  reachedOperators,
  targetOf,
  TARGETING_PAGE,
  type DecisionPage,
  type PlannedNotices,
  type Target,
  type TargetingCounts,
  type TargetingDeps,
  type TargetingRequest,
} from './targeting-plan.js';

export { TARGETING_PAGE, type PlannedNotices, type TargetingCounts, type TargetingDeps, type TargetingRequest } from './targeting-plan.js';

export interface TargetingResult extends FanOutResult {
  /** Operators the advisory affects among those asked about, and those entitled to hear of it. */
  readonly matchedOperators: number;
  readonly entitledOperators: number;
}

/**
 * The notices of one request, a page of the reverse match at a time (see {@link notifyAffectedOperators}),
 * counting the operators matched and entitled into `counts`. Reads only.
 */
export async function* planNotices(
  ctx: ServiceContext,
  deps: TargetingDeps,
  request: TargetingRequest,
  counts: TargetingCounts,
): AsyncGenerator<PlannedNotices> {
  const target = await targetOf(ctx, deps, request, (await readableAdvisories(ctx, [request.advisoryId])).get(request.advisoryId));
  if (target === null) return;
  const link = await remediationLinkMaker(ctx, deps.publicUrl);
  const scopes: (readonly string[] | undefined)[] = request.orgIds === undefined ? [undefined] : chunks(request.orgIds, 1000);
  for (const among of scopes) {
    let cursor: string | undefined;
    do {
      const page = await affectedOperators(ctx, target.found.advisory.id, { limit: TARGETING_PAGE, cursor }, among);
      cursor = page.nextCursor ?? undefined;
      const reached = await reachedOperators(ctx, target, page.items, counts);
      if (reached.length === 0) continue;
      const [decisions] = await decisionsOfPages(ctx, [{ cveIds: target.cveIds, reached }]);
      yield plannedNotices(target, reached, decisions ?? new Map(), link);
    } while (cursor !== undefined);
  }
}

/** A request that names its operators (an exposure change). */
export type NamedTargetingRequest = TargetingRequest & { readonly orgIds: readonly string[] };

/** One request's operators, at most 1,000 of them: what {@link planNotices} pages through at a time. */
type Scope = { readonly target: Target; readonly among: readonly string[] };

/** Consecutive scopes looking at 1,000 operators in all at most, read together. */
function* groupsOf(scopes: readonly Scope[]): Generator<Scope[]> {
  let group: Scope[] = [];
  let operators = 0;
  for (const scope of scopes) {
    if (operators + scope.among.length > 1000 && group.length > 0) {
      yield group;
      group = [];
      operators = 0;
    }
    group.push(scope);
    operators += scope.among.length;
  }
  if (group.length > 0) yield group;
}

/**
 * {@link planNotices} for many requests that name their operators (the few dozen exposure changes of an SBOM
 * upload), yielding the same pages in the same order, but reading for all of them together: the advisories
 * and who may read them once, the matches of up to 1,000 operators at a time in one query, the deployer
 * decisions of those pages in one scoring read. Reads only.
 */
export async function* planNoticesAmong(
  ctx: ServiceContext,
  deps: TargetingDeps,
  requests: readonly NamedTargetingRequest[],
  counts: TargetingCounts,
): AsyncGenerator<PlannedNotices> {
  const readable = await readableAdvisories(
    ctx,
    requests.map((r) => r.advisoryId),
  );
  const scopes: Scope[] = [];
  for (const request of requests) {
    const target = await targetOf(ctx, deps, request, readable.get(request.advisoryId));
    if (target !== null) for (const among of chunks(request.orgIds, 1000)) scopes.push({ target, among });
  }
  if (scopes.length === 0) return;
  const link = await remediationLinkMaker(ctx, deps.publicUrl);
  for (const group of groupsOf(scopes)) {
    const answers = await affectedOperatorsAmong(
      ctx,
      group.map((s) => ({ advisoryIdOrAlias: s.target.found.advisory.id, among: s.among })),
    );
    const pages: (DecisionPage & { readonly target: Target })[] = [];
    for (const [i, scope] of group.entries())
      for (const items of chunks(answers[i]?.items ?? [], TARGETING_PAGE)) {
        const reached = await reachedOperators(ctx, scope.target, items, counts);
        if (reached.length > 0) pages.push({ target: scope.target, cveIds: scope.target.cveIds, reached });
      }
    const decisions = await decisionsOfPages(ctx, pages);
    for (const [i, page] of pages.entries()) yield plannedNotices(page.target, page.reached, decisions[i] ?? new Map(), link);
  }
}

/**
 * Writes planned notices in the caller's transaction: one fan-out for all of them (one dispatch kick), and
 * one audit line per advisory and request that created notifications, as each request's own transaction
 * would have written it. A draft whose organisation and dedup key an earlier one in the batch has is left
 * out, as it would have found the earlier one stored.
 */
export async function writeNotices(ctx: ServiceContext, trx: Executor, planned: readonly PlannedNotices[]): Promise<FanOutDetail> {
  const seen = new Set<string>();
  const groups = planned.map((p) => ({
    ...p,
    drafts: p.drafts.filter((d) => {
      const key = `${d.orgId}\u0000${d.dedupKey}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
  }));
  const out = await fanOut(
    ctx,
    trx,
    groups.flatMap((g) => g.drafts),
  );
  for (const g of groups) {
    let notifications = 0;
    let deliveries = 0;
    for (const draft of g.drafts) {
      const created = out.created.get(draft);
      if (created === undefined) continue;
      notifications++;
      deliveries += created.deliveries;
    }
    if (notifications === 0) continue;
    await ctx.audit.record(trx, ctx.actor, {
      action: 'notify.notification.create',
      subject: { type: 'advisory', id: g.advisoryId },
      diff: { type: g.type, notifications, deliveries, sourceEventId: g.sourceEventId },
    });
  }
  return out;
}

/**
 * Tells exactly the operators whose inventories run an affected version of an advisory — page by page of
 * the inventory's reverse match — each about its own assets and components, the fixed versions, and the
 * SSVC deployer decision and due date per asset (scoring), with a signed link to report remediation.
 * Operators that match nothing hear nothing; an operator the advisory's TLP does not reach hears nothing
 * (a pre-notice is the coordinator's own publication at TLP:AMBER+STRICT to each operator in scope). The
 * same content for the same operator is sent once. Runs as the system.
 */
export async function notifyAffectedOperators(
  ctx: ServiceContext,
  deps: TargetingDeps,
  request: TargetingRequest,
): Promise<TargetingResult> {
  const totals = { notifications: 0, deliveries: 0, createdIds: [] as string[], matchedOperators: 0, entitledOperators: 0 };
  for await (const planned of planNotices(ctx, deps, request, totals)) {
    const result = await withTransaction(ctx.db, (trx) => writeNotices(ctx, trx, [planned]));
    totals.notifications += result.notifications;
    totals.deliveries += result.deliveries;
    totals.createdIds.push(...result.createdIds);
  }
  return totals;
}
