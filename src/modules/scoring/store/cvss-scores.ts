import type { Executor } from '../../../platform/db/index.js';
import { chunks, t, type CvssScoreRow } from './tables.js';

/** The CVSS vectors scored for these subjects. */
export async function cvssScoresOf(executor: Executor, subjectIds: readonly string[]): Promise<CvssScoreRow[]> {
  const out: CvssScoreRow[] = [];
  for (const ids of chunks(subjectIds, 1000)) {
    out.push(
      ...(await t(executor)
        .selectFrom('scoring_cvss_score')
        .selectAll()
        .where('subject_id', 'in', ids)
        .orderBy('subject_id')
        .orderBy('vector')
        .execute()),
    );
  }
  return out;
}

/** Replaces a subject's scored vectors. */
export async function replaceCvssScores(executor: Executor, subjectId: string, rows: readonly CvssScoreRow[]): Promise<void> {
  await t(executor).deleteFrom('scoring_cvss_score').where('subject_id', '=', subjectId).execute();
  if (rows.length > 0)
    await t(executor)
      .insertInto('scoring_cvss_score')
      .values([...rows])
      .execute();
}
