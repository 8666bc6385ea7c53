import { describeActor, systemActor, type Actor } from '../../../platform/actor.js';
import { asActor, type ServiceContext } from '../../../platform/context.js';
import { withTransaction, type Executor, type Page, type PageRequest } from '../../../platform/db/index.js';
import { InputError, NotFoundError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { authorize, holds } from '../../identity/index.js';
import {
  checkRemediationReport,
  isAcknowledged,
  viewRemediation,
  type RemediationReport,
  type RemediationStatus,
} from '../domain/remediation.js';
import { presentItem, type RemediationItem } from '../presenters.js';
import { findNotification } from '../store/notifications.js';
import { insertRemediationEvents, itemsOf, listItems, updateItems } from '../store/remediation.js';
import type { RemediationRow } from '../store/tables.js';
import { orgOf, requireMember } from './access.js';
import { checkRemediationLink } from './links.js';

/** How a report arrived, recorded with it. */
export type ReportChannel = 'api' | 'cli' | 'link' | 'inventory';

export function presentRemediation(row: RemediationRow, now: Date): RemediationItem {
  return presentItem(row, viewRemediation({ status: row.status as RemediationStatus, expiresAt: row.expires_at, dueAt: row.due_at }, now));
}

const CLOSING: ReadonlySet<string> = new Set(['patched', 'mitigated', 'not_affected', 'risk_accepted']);

/** Applies one report to items, with their history rows and the audit event, in the caller's transaction. */
export async function applyReport(
  ctx: ServiceContext,
  trx: Executor,
  items: readonly RemediationRow[],
  report: RemediationReport,
  via: ReportChannel,
  actorLabel: string,
): Promise<RemediationRow[]> {
  return (await applyReports(ctx, trx, [{ items, report }], via, actorLabel))[0] ?? [];
}

/**
 * {@link applyReport} for several groups of items at once (the items of each operator and advisory an SBOM
 * upload clears): the items that change alike updated by one statement, the history rows of all of them
 * inserted by one, and one audit event per group, as each report alone would write it.
 */
export async function applyReports(
  ctx: ServiceContext,
  trx: Executor,
  groups: readonly { readonly items: readonly RemediationRow[]; readonly report: RemediationReport }[],
  via: ReportChannel,
  actorLabel: string,
): Promise<RemediationRow[][]> {
  const now = ctx.clock.now().toISOString();
  const alike = new Map<string, { changes: Partial<RemediationRow>; ids: string[] }>();
  const updated = groups.map(({ items, report }) =>
    items.map((item) => {
      const changes: Partial<RemediationRow> = {
        status: report.status,
        mitigation: report.mitigation,
        justification: report.justification,
        expires_at: report.expiresAt,
        note: report.note,
        reported_at: now,
        reported_by: actorLabel,
        updated_at: now,
        acknowledged_at: item.acknowledged_at ?? (isAcknowledged(report.status) ? now : null),
        closed_at: CLOSING.has(report.status) ? now : null,
      };
      const key = JSON.stringify(changes);
      const same = alike.get(key);
      if (same === undefined) alike.set(key, { changes, ids: [item.id] });
      else same.ids.push(item.id);
      return { ...item, ...changes };
    }),
  );
  for (const { changes, ids } of alike.values()) await updateItems(trx, ids, changes);
  await insertRemediationEvents(
    trx,
    ctx.db.caps,
    groups.flatMap(({ items, report }) =>
      items.map((item) => ({
        id: newId('rev'),
        item_id: item.id,
        advisory_id: item.advisory_id,
        status: report.status,
        via,
        actor: actorLabel,
        details: JSON.stringify({
          mitigation: report.mitigation,
          justification: report.justification,
          expiresAt: report.expiresAt,
          note: report.note,
        }),
        at: now,
      })),
    ),
  );
  for (const { items, report } of groups) {
    const first = items[0];
    if (first === undefined) continue;
    await ctx.audit.record(trx, ctx.actor, {
      action: 'notify.remediation.report',
      subject: { type: 'advisory', id: first.advisory_id },
      orgId: first.org_id,
      diff: { status: report.status, via, assets: items.map((i) => i.asset_id).slice(0, 100), count: items.length },
    });
  }
  return updated;
}

export interface RemediationReportInput {
  readonly advisoryId: string;
  /** Default: every asset of the organisation the advisory was notified for. */
  readonly assetIds?: readonly string[];
  readonly orgId?: string;
  readonly status?: unknown;
  readonly mitigation?: unknown;
  readonly justification?: unknown;
  readonly expiresAt?: unknown;
  readonly note?: unknown;
}

function checked(input: RemediationReportInput, now: Date): RemediationReport {
  const result = checkRemediationReport(input, now);
  if (!result.ok)
    throw new InputError(`the report is not valid: ${result.issues.map((i) => `${i.pointer} ${i.detail}`).join('; ')}`, result.issues);
  return result.report;
}

async function itemsFor(
  executor: Executor,
  orgId: string,
  advisoryId: string,
  assetIds: readonly string[] | undefined,
): Promise<RemediationRow[]> {
  const items = await itemsOf(executor, orgId, advisoryId, assetIds);
  if (items.length === 0) throw new NotFoundError(`no remediation item of ${advisoryId} for your organisation`);
  const unknown = (assetIds ?? []).filter((id) => !items.some((i) => i.asset_id === id));
  if (unknown.length > 0) throw new NotFoundError(`${advisoryId} was not notified for the assets ${unknown.join(', ')}`);
  return items;
}

/**
 * An operator reports the remediation of an advisory on some or all of its notified assets: `received`,
 * `acknowledged`, `patched`, `mitigated` (with the mitigation), `not_affected` (with a VEX justification) or
 * `risk_accepted` (with an expiry, after which the item reopens). Its admins and analysts; items of another
 * organisation answer 404. Audited `notify.remediation.report`; answers the items as they are now.
 */
export async function reportRemediation(
  ctx: ServiceContext,
  input: RemediationReportInput,
  via: 'api' | 'cli' = 'api',
): Promise<RemediationItem[]> {
  const orgId = orgOf(ctx.actor, input.orgId);
  requireMember(ctx.actor, orgId, `organisation ${orgId}`);
  authorize(ctx.actor, 'notify.remediation.report', { ownerOrgId: orgId });
  const now = ctx.clock.now();
  const report = checked(input, now);
  return withTransaction(ctx.db, async (trx) => {
    const items = await itemsFor(trx, orgId, input.advisoryId, input.assetIds);
    const updated = await applyReport(ctx, trx, items, report, via, describeActor(ctx.actor));
    return updated.map((row) => presentRemediation(row, now));
  });
}

/** What a signed link shows before it is used: the notification's advisory and the organisation's items. */
export async function readRemediationLink(
  ctx: ServiceContext,
  token: string,
): Promise<{ advisoryId: string; orgId: string; items: RemediationItem[]; expiresAt: string }> {
  const { notification, expiresAt } = await linkTarget(ctx, token);
  const items = await itemsOf(ctx.db.kysely, notification.org_id, notification.subject_id as string);
  const now = ctx.clock.now();
  return {
    advisoryId: notification.subject_id as string,
    orgId: notification.org_id,
    items: items.map((r) => presentRemediation(r, now)),
    expiresAt,
  };
}

async function linkTarget(ctx: ServiceContext, token: string) {
  const verdict = await checkRemediationLink(ctx, token);
  // Whatever is wrong with a link, it leads nowhere: the same answer for forged, expired and unknown ones.
  if (!verdict.valid)
    throw new NotFoundError(`this remediation link is not valid (${verdict.reason === 'expired' ? 'it expired' : 'unknown link'})`);
  const notification = await findNotification(ctx.db.kysely, verdict.claims.notificationId);
  if (notification === undefined || notification.org_id !== verdict.claims.orgId || notification.subject_id === null) {
    throw new NotFoundError('this remediation link is not valid (unknown link)');
  }
  return { notification, expiresAt: new Date(verdict.claims.expiresAt * 1000).toISOString() };
}

/**
 * A report made by following the signed link a notification carried: no token needed, the link is the
 * capability — for the organisation and advisory of that notification only, until the link expires.
 * Recorded as made through the link (`link:<notification id>`).
 */
export async function reportByLink(
  ctx: ServiceContext,
  token: string,
  input: Omit<RemediationReportInput, 'advisoryId' | 'orgId'>,
): Promise<RemediationItem[]> {
  const { notification } = await linkTarget(ctx, token);
  const now = ctx.clock.now();
  const report = checked({ ...input, advisoryId: notification.subject_id as string }, now);
  return withTransaction(ctx.db, async (trx) => {
    const items = await itemsFor(trx, notification.org_id, notification.subject_id as string, input.assetIds);
    // Whoever follows the link acts for its organisation; the audit names the link, not a user.
    const updated = await applyReport(
      asActor(ctx, systemActor('notify.remediation-link')),
      trx,
      items,
      report,
      'link',
      `link:${notification.id}`,
    );
    return updated.map((row) => presentRemediation(row, now));
  });
}

export interface RemediationQuery {
  /** An operator's items (default: the caller's own); coordinators may name any, or leave it out with `advisoryId`. */
  readonly orgId?: string;
  readonly advisoryId?: string;
  /** Only items that still need action (default true). */
  readonly open?: boolean;
  /** Only items due before this instant. */
  readonly dueBefore?: string;
  readonly sector?: string;
}

function overseer(actor: Actor): boolean {
  return holds(actor, 'notify.remediation.oversee');
}

/**
 * Remediation items soonest due first: an operator's own open items (its members), or — for the
 * coordinator — any operator's, or every operator's of one advisory.
 */
export async function listRemediation(ctx: ServiceContext, query: RemediationQuery, request: PageRequest): Promise<Page<RemediationItem>> {
  let orgId: string | null;
  if (overseer(ctx.actor) && (query.orgId !== undefined || query.advisoryId !== undefined)) orgId = query.orgId ?? null;
  else {
    orgId = orgOf(ctx.actor, query.orgId);
    requireMember(ctx.actor, orgId, `organisation ${orgId}`);
  }
  if (query.dueBefore !== undefined && Number.isNaN(Date.parse(query.dueBefore))) {
    throw new InputError('dueBefore must be an ISO 8601 date or instant', [{ pointer: '/dueBefore', detail: 'must be a date' }]);
  }
  const now = ctx.clock.now();
  const page = await listItems(
    ctx.db.kysely,
    orgId,
    {
      openOnly: query.open ?? true,
      ...(query.advisoryId === undefined ? {} : { advisoryId: query.advisoryId }),
      ...(query.sector === undefined ? {} : { sector: query.sector }),
      ...(query.dueBefore === undefined ? {} : { dueBefore: new Date(query.dueBefore).toISOString() }),
    },
    now.toISOString(),
    request,
  );
  return { items: page.items.map((row) => presentRemediation(row, now)), nextCursor: page.nextCursor };
}
