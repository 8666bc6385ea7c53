import type { ServiceContext } from '../../../platform/context.js';
import { DAY } from '../../../platform/clock.js';
import { withTransaction } from '../../../platform/db/index.js';
import { groupBy } from '../../../platform/collections.js';
import { markReminded, overdueItems } from '../store/remediation.js';
import { fanOut, type NoticeDraft } from './fan-out.js';

/** Days between reminders of an item that stays overdue. */
export const REMINDER_EVERY_DAYS = 3;
const BATCH = 2000;

/**
 * Reminds operators of their overdue remediation items: one `remediation.overdue` notification per
 * operator and day, listing its overdue items soonest due first; then every three days while they stay
 * open. Runs as the system, from the hourly schedule. Answers how many operators were reminded.
 */
export async function sendOverdueReminders(ctx: ServiceContext): Promise<{ readonly operators: number; readonly items: number }> {
  const now = ctx.clock.now();
  const remindedBefore = new Date(now.getTime() - REMINDER_EVERY_DAYS * DAY).toISOString();
  let operators = 0;
  let itemCount = 0;
  for (;;) {
    const items = await overdueItems(ctx.db.kysely, now.toISOString(), remindedBefore, BATCH);
    if (items.length === 0) break;
    const byOrg = groupBy(items, (item) => item.org_id);
    const day = now.toISOString().slice(0, 10);
    const drafts: NoticeDraft[] = [...byOrg].map(([orgId, rows]) => ({
      orgId,
      type: 'remediation.overdue',
      dedupKey: `remediation.overdue:${day}:${rows
        .map((r) => r.id)
        .join(',')
        .slice(0, 180)}`,
      subjectId: null,
      sourceEventId: null,
      title: `${rows.length} remediation item${rows.length === 1 ? ' is' : 's are'} past due`,
      tlp: 'AMBER',
      build: (notificationId) => ({
        data: {
          schemaVersion: 1,
          notificationId,
          orgId,
          items: rows.slice(0, 100).map((r) => ({
            advisoryId: r.advisory_id,
            assetId: r.asset_id,
            assetName: r.asset_name,
            status: r.status,
            decision: r.decision,
            dueAt: r.due_at,
          })),
          itemsTotal: rows.length,
        },
        facets: {
          type: 'remediation.overdue',
          tlp: 'AMBER',
          sectors: [...new Set(rows.flatMap((r) => (r.sector === null ? [] : [r.sector])))].sort(),
          purls: [],
        },
      }),
    }));
    await withTransaction(ctx.db, async (trx) => {
      await fanOut(ctx, trx, drafts);
      await markReminded(
        trx,
        items.map((i) => i.id),
        now.toISOString(),
      );
    });
    operators += byOrg.size;
    itemCount += items.length;
    if (items.length < BATCH) break;
  }
  return { operators, items: itemCount };
}
