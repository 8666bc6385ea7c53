import type { Static } from '@sinclair/typebox';
import type { ServiceContext } from '../../../platform/context.js';
import { DAY } from '../../../platform/clock.js';
import { csvTable } from '../../../platform/csv.js';
import { NotFoundError } from '../../../platform/errors.js';
import { groupBy } from '../../../platform/collections.js';
import { authorize, listOrgs } from '../../identity/index.js';
import { remediationCurves } from '../domain/remediation-curve.js';
import { isAcknowledged, viewRemediation, type RemediationStatus } from '../domain/remediation.js';
import { eventsOfAdvisory, itemsOfAdvisory } from '../store/remediation.js';
import type { AdvisoryRemediationCurvesSchema, AdvisoryRemediationSchema, ShareCountsSchema } from '../route-schemas.js';
import type { RemediationRow } from '../store/tables.js';

/** What the oversight answers: the response schemas' types, declared once in route-schemas.ts. */
export type ShareCounts = Static<typeof ShareCountsSchema>;
export type AdvisoryRemediation = Static<typeof AdvisoryRemediationSchema>;

function counts(items: readonly RemediationRow[], now: Date): ShareCounts {
  let acknowledged = 0;
  const by: Record<string, number> = { patched: 0, mitigated: 0, not_affected: 0, risk_accepted: 0 };
  let open = 0;
  let overdue = 0;
  for (const item of items) {
    const view = viewRemediation({ status: item.status as RemediationStatus, expiresAt: item.expires_at, dueAt: item.due_at }, now);
    if (isAcknowledged(item.status as RemediationStatus)) acknowledged++;
    if (view.status in by) by[view.status] = (by[view.status] ?? 0) + 1;
    if (view.open) open++;
    if (view.overdue) overdue++;
  }
  const share = (n: number) => (items.length === 0 ? null : n / items.length);
  return {
    assets: items.length,
    acknowledged,
    patched: by['patched'] ?? 0,
    mitigated: by['mitigated'] ?? 0,
    notAffected: by['not_affected'] ?? 0,
    riskAccepted: by['risk_accepted'] ?? 0,
    open,
    overdue,
    acknowledgedShare: share(acknowledged),
    patchedShare: share(by['patched'] ?? 0),
  };
}

/**
 * The coordinators' view of one advisory's remediation: operators notified, the share of assets
 * acknowledged and patched now, by sector, and over time (from every report as it was made).
 */
export async function advisoryRemediation(ctx: ServiceContext, advisoryId: string): Promise<AdvisoryRemediation> {
  authorize(ctx.actor, 'notify.remediation.oversee');
  const items = await itemsOfAdvisory(ctx.db.kysely, advisoryId);
  if (items.length === 0) throw new NotFoundError(`no operator was notified of ${advisoryId}`);
  const now = ctx.clock.now();
  const byOrg = groupBy(items, (item) => item.org_id);
  const sectors = groupBy(items, (item) => item.sector);

  // Replay every report, day by day, from the first notification to today.
  const events = await eventsOfAdvisory(ctx.db.kysely, advisoryId);
  const status = new Map<string, string>();
  const first = items.reduce((min, i) => (i.notified_at < min ? i.notified_at : min), items[0]?.notified_at ?? now.toISOString());
  const timeline: AdvisoryRemediation['timeline'] = [];
  let e = 0;
  for (let day = Date.parse(first.slice(0, 10)); day <= now.getTime(); day += DAY) {
    const end = new Date(day + DAY).toISOString();
    while (e < events.length && (events[e]?.at ?? '') < end) {
      const ev = events[e++];
      if (ev !== undefined) status.set(ev.item_id, ev.status);
    }
    const notified = items.filter((i) => i.notified_at < end);
    if (notified.length === 0) continue;
    const ack = notified.filter((i) => isAcknowledged((status.get(i.id) ?? 'notified') as RemediationStatus)).length;
    const patched = notified.filter((i) => status.get(i.id) === 'patched').length;
    timeline.push({
      day: new Date(day).toISOString().slice(0, 10),
      acknowledgedShare: ack / notified.length,
      patchedShare: patched / notified.length,
    });
  }
  const all = (rows: RemediationRow[], pick: (s: RemediationStatus) => boolean) => rows.every((r) => pick(r.status as RemediationStatus));
  return {
    advisoryId,
    operators: {
      notified: byOrg.size,
      acknowledged: [...byOrg.values()].filter((rows) => all(rows, isAcknowledged)).length,
      patched: [...byOrg.values()].filter((rows) => all(rows, (s) => s === 'patched')).length,
    },
    totals: counts(items, now),
    bySector: [...sectors]
      .sort(([a], [b]) => (a ?? '~').localeCompare(b ?? '~'))
      .map(([sector, rows]) => ({ sector, ...counts(rows, now) })),
    timeline,
  };
}

/** The coordinators' per-asset table of one advisory's remediation, as CSV (RFC 4180, CRLF, header row). */
export async function advisoryRemediationCsv(ctx: ServiceContext, advisoryId: string): Promise<string> {
  authorize(ctx.actor, 'notify.remediation.oversee');
  const items = await itemsOfAdvisory(ctx.db.kysely, advisoryId);
  if (items.length === 0) throw new NotFoundError(`no operator was notified of ${advisoryId}`);
  const names = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const page = await listOrgs(ctx, { kind: 'operator', limit: 500, cursor });
    for (const org of page.items) names.set(org.id, org.name);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  const now = ctx.clock.now();
  const rows = items.map((i) => ({
    item: i,
    view: viewRemediation({ status: i.status as RemediationStatus, expiresAt: i.expires_at, dueAt: i.due_at }, now),
  }));
  return csvTable<(typeof rows)[number]>(
    [
      { header: 'operator_id', value: (r) => r.item.org_id },
      { header: 'operator', value: (r) => names.get(r.item.org_id) ?? null },
      { header: 'asset_id', value: (r) => r.item.asset_id },
      { header: 'asset', value: (r) => r.item.asset_name },
      { header: 'sector', value: (r) => r.item.sector },
      { header: 'status', value: (r) => r.view.status },
      { header: 'open', value: (r) => r.view.open },
      { header: 'overdue', value: (r) => r.view.overdue },
      { header: 'decision', value: (r) => r.item.decision },
      { header: 'due_at', value: (r) => r.item.due_at },
      { header: 'notified_at', value: (r) => r.item.notified_at },
      { header: 'acknowledged_at', value: (r) => r.item.acknowledged_at },
      { header: 'closed_at', value: (r) => r.item.closed_at },
      { header: 'mitigation', value: (r) => r.item.mitigation },
      { header: 'justification', value: (r) => r.item.justification },
      { header: 'risk_accepted_until', value: (r) => (r.item.status === 'risk_accepted' ? r.item.expires_at : null) },
    ],
    rows,
  );
}

/** The longest curve answered, in days since the first notification. */
export const CURVE_MAX_DAYS = 90;

/** The curves' last day is `horizon`: whole days from the first notification to now, at most {@link CURVE_MAX_DAYS}. */
export type AdvisoryRemediationCurves = Static<typeof AdvisoryRemediationCurvesSchema>;

/**
 * One advisory's remediation curves (coordinators, as its oversight): per whole day since each asset's own
 * notification, the share of assets its operators reported patched (their first `patched` report), over all
 * assets and per sector. An asset notified lately has had fewer days: the curve's later days count it as not
 * yet patched.
 */
export async function advisoryRemediationCurves(ctx: ServiceContext, advisoryId: string): Promise<AdvisoryRemediationCurves> {
  authorize(ctx.actor, 'notify.remediation.oversee');
  const items = await itemsOfAdvisory(ctx.db.kysely, advisoryId);
  if (items.length === 0) throw new NotFoundError(`no operator was notified of ${advisoryId}`);
  const patchedAt = new Map<string, string>();
  for (const event of await eventsOfAdvisory(ctx.db.kysely, advisoryId))
    if (event.status === 'patched' && !patchedAt.has(event.item_id)) patchedAt.set(event.item_id, event.at);
  const first = Math.min(...items.map((i) => Date.parse(i.notified_at)));
  const horizon = Math.max(0, Math.min(CURVE_MAX_DAYS, Math.floor((ctx.clock.now().getTime() - first) / DAY)));
  const curves = remediationCurves(
    items.map((i) => ({ sector: i.sector, notifiedAt: i.notified_at, patchedAt: patchedAt.get(i.id) ?? null })),
    horizon,
  );
  return { advisoryId, horizon, ...curves };
}
