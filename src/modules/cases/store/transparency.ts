import { median } from '../../../platform/stats.js';
import { tables, type Executor } from '../../../platform/db/index.js';
import { daysBetween, figuresByMonth, monthBounds, type TransparencyFact } from '../../../platform/transparency-facts.js';

interface CaseColumns {
  cases_case: { id: string; created_at: string; first_reported_at: string | null };
  cases_participant: { case_id: string; role: string; notified_at: string | null };
  cases_timeline: { case_id: string; kind: string; data: string; at: string };
}

/**
 * The first moment each case had a statement saying `fixed`, from the statement steps of its timeline: a
 * statement is one row whose versions replace each other (affected on day 3, fixed on day 10), so neither its
 * creation nor its last change says when the fix came.
 */
function firstFixes(steps: readonly { case_id: string; data: string; at: string }[]): { case_id: string; at: string }[] {
  const first = new Map<string, string>();
  for (const step of steps) {
    if ((JSON.parse(step.data) as { status?: unknown }).status !== 'fixed') continue;
    const seen = first.get(step.case_id);
    if (seen === undefined || step.at < seen) first.set(step.case_id, step.at);
  }
  return [...first].map(([case_id, at]) => ({ case_id, at }));
}

/**
 * Each case opened in the range, as when it was opened, when its earliest report arrived (its opening, for
 * cases opened before that was kept) and when it first reached a milestone: the first vendor notified, the
 * first `fixed` statement. Ids stay in here; the figures carry none.
 */
async function milestones(executor: Executor, range: { from: string; to: string }, milestone: 'notified' | 'fixed') {
  const { start, end } = monthBounds(range);
  const db = tables<CaseColumns>(executor);
  const opened = db.selectFrom('cases_case').select('id').where('created_at', '>=', start).where('created_at', '<', end);
  const firsts =
    milestone === 'notified'
      ? await db
          .selectFrom('cases_participant')
          .select((eb) => ['case_id', eb.fn.min<string>('notified_at').as('at')])
          .where('role', '=', 'vendor')
          .where('notified_at', 'is not', null)
          .where('case_id', 'in', opened)
          .groupBy('case_id')
          .execute()
      : firstFixes(
          await db
            .selectFrom('cases_timeline')
            .select(['case_id', 'data', 'at'])
            .where('kind', '=', 'statement.changed')
            .where('case_id', 'in', opened)
            .execute(),
        );
  const caseTimes = new Map(
    (
      await db
        .selectFrom('cases_case')
        .select(['id', 'created_at', 'first_reported_at'])
        .where('created_at', '>=', start)
        .where('created_at', '<', end)
        .execute()
    ).map((c) => [c.id, { openedAt: c.created_at, reportedAt: c.first_reported_at ?? c.created_at }]),
  );
  return firsts.flatMap((f) => {
    const c = caseTimes.get(f.case_id);
    return c === undefined ? [] : [{ ...c, reachedAt: new Date(f.at).toISOString() }];
  });
}

const medianDaysTo = (milestone: 'notified' | 'fixed') => async (executor: Executor, range: { from: string; to: string }) =>
  figuresByMonth(
    await milestones(executor, range, milestone),
    (c) => c.openedAt,
    (g) => ({ value: median(g.map((c) => daysBetween(c.reportedAt, c.reachedAt))), n: g.length }),
  );

/**
 * What cases lends the transparency report: days from the first report behind a case to its first vendor
 * notification and to its first fix, by month of the case's opening.
 */
export const casesTransparencyFacts: readonly TransparencyFact[] = [
  {
    key: 'medianDaysToVendorNotification',
    title: 'Median days from first report to vendor notification',
    unit: 'days',
    note: 'from the earliest report behind a coordinated-disclosure case to the first vendor told of it, by month the case was opened',
    monthly: medianDaysTo('notified'),
  },
  {
    key: 'medianDaysToFix',
    title: 'Median days from first report to a fix',
    unit: 'days',
    note: "from the earliest report behind a case to a vendor's first statement that a product is fixed, by month the case was opened",
    monthly: medianDaysTo('fixed'),
  },
];
