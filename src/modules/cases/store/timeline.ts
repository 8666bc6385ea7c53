import type { Executor } from '../../../platform/db/index.js';
import { t, type TimelineRow } from './tables.js';

export async function insertTimeline(trx: Executor, rows: readonly TimelineRow[]): Promise<void> {
  if (rows.length > 0) await t(trx).insertInto('cases_timeline').values(rows).execute();
}

/** The case's timeline, oldest first: all of it, or the steps for everyone and those for one organisation. */
export async function timelineOf(executor: Executor, caseId: string, orgId: string | null): Promise<TimelineRow[]> {
  let query = t(executor).selectFrom('cases_timeline').selectAll().where('case_id', '=', caseId);
  if (orgId !== null) query = query.where((eb) => eb.or([eb('audience_org_id', 'is', null), eb('audience_org_id', '=', orgId)]));
  return query.orderBy('at').orderBy('id').limit(1000).execute();
}
