import type { Expression, SqlBool } from 'kysely';
import { paginate, type Executor, type Page, type PageRequest } from '../../../platform/db/index.js';
import {
  chunks,
  fromExcluded,
  t,
  type DecisionDetailRow,
  type DecisionHistoryRow,
  type DecisionRow,
  type SubjectCveRow,
} from './tables.js';

/** A stored decision with the inputs it was made from, as re-prioritization reads it. */
export interface DecisionState {
  readonly row: DecisionRow;
  readonly inputs: string;
}

/** The current decisions of these subjects (those that have one), with their inputs. */
export async function decisionStates(executor: Executor, subjectIds: readonly string[]): Promise<DecisionState[]> {
  const out: DecisionState[] = [];
  for (const ids of chunks(subjectIds, 1000)) {
    const rows = await t(executor)
      .selectFrom('scoring_decision as d')
      .innerJoin('scoring_decision_detail as x', 'x.subject_id', 'd.subject_id')
      .selectAll('d')
      .select('x.inputs')
      .where('d.subject_id', 'in', ids)
      .execute();
    for (const { inputs, ...row } of rows) out.push({ row, inputs });
  }
  return out;
}

/** One page of subjects with a decision, in subject id order, after `after` (exclusive). */
export async function subjectIdsAfter(executor: Executor, after: string | null, limit: number): Promise<string[]> {
  const rows = await t(executor)
    .selectFrom('scoring_decision')
    .select('subject_id')
    .$if(after !== null, (q) => q.where('subject_id', '>', after ?? ''))
    .orderBy('subject_id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.subject_id);
}

/** The subjects that name any of these CVEs. */
export async function subjectIdsOfCves(executor: Executor, cveIds: readonly string[]): Promise<string[]> {
  const out = new Set<string>();
  for (const ids of chunks(cveIds, 1000)) {
    for (const row of await t(executor).selectFrom('scoring_subject_cve').select('subject_id').where('cve_id', 'in', ids).execute())
      out.add(row.subject_id);
  }
  return [...out].sort();
}

/**
 * The explanations of the decided subjects naming any of these CVEs, one row per subject and CVE named; with
 * `visible` (a condition on `c.subject_id`), only the subjects it holds for. Chunked by 1,000 CVE ids.
 */
export async function decisionsOfCves(
  executor: Executor,
  cveIds: readonly string[],
  visible?: Expression<SqlBool>,
): Promise<{ subject_id: string; cve_id: string; explanation: string }[]> {
  const out: { subject_id: string; cve_id: string; explanation: string }[] = [];
  for (const ids of chunks(cveIds, 1000)) {
    const rows = await t(executor)
      .selectFrom('scoring_subject_cve as c')
      .innerJoin('scoring_decision as d', 'd.subject_id', 'c.subject_id')
      .innerJoin('scoring_decision_detail as x', 'x.subject_id', 'c.subject_id')
      .select(['c.subject_id', 'c.cve_id', 'x.explanation'])
      .where('c.cve_id', 'in', ids)
      .$if(visible !== undefined, (q) => q.where(visible as Expression<SqlBool>))
      .execute();
    out.push(...rows);
  }
  return out;
}

export async function upsertDecisions(executor: Executor, rows: readonly DecisionRow[]): Promise<void> {
  for (const part of chunks(rows)) {
    await t(executor)
      .insertInto('scoring_decision')
      .values(part)
      .onConflict((oc) =>
        oc
          .column('subject_id')
          .doUpdateSet(
            fromExcluded<DecisionRow>([
              'org_id',
              'revision',
              'outcome',
              'outcome_since',
              'vendor_fix_due_at',
              'exploitation',
              'automatable',
              'technical_impact',
              'mission_wellbeing',
              'supplier_outcome',
              'policy_version',
              'epss',
              'epss_percentile',
              'epss_date',
              'epss_cve_id',
              'exposure_count',
              'cvss_vector',
              'detail_hash',
              'evaluated_at',
            ]),
          ),
      )
      .execute();
  }
}

export async function upsertDecisionDetails(executor: Executor, rows: readonly DecisionDetailRow[]): Promise<void> {
  for (const part of chunks(rows)) {
    await t(executor)
      .insertInto('scoring_decision_detail')
      .values(part)
      .onConflict((oc) => oc.column('subject_id').doUpdateSet(fromExcluded<DecisionDetailRow>(['inputs', 'explanation', 'supplier'])))
      .execute();
  }
}

export async function insertDecisionHistory(executor: Executor, rows: readonly DecisionHistoryRow[]): Promise<void> {
  for (const part of chunks(rows)) await t(executor).insertInto('scoring_decision_history').values(part).execute();
}

/** Replaces the CVE ids of these subjects. */
export async function replaceSubjectCves(executor: Executor, subjectIds: readonly string[], rows: readonly SubjectCveRow[]): Promise<void> {
  for (const ids of chunks(subjectIds, 1000)) await t(executor).deleteFrom('scoring_subject_cve').where('subject_id', 'in', ids).execute();
  for (const part of chunks(rows)) await t(executor).insertInto('scoring_subject_cve').values(part).execute();
}

export async function findDecision(
  executor: Executor,
  subjectId: string,
): Promise<(DecisionRow & Omit<DecisionDetailRow, 'subject_id'>) | undefined> {
  return t(executor)
    .selectFrom('scoring_decision as d')
    .innerJoin('scoring_decision_detail as x', 'x.subject_id', 'd.subject_id')
    .selectAll('d')
    .select(['x.inputs', 'x.explanation', 'x.supplier'])
    .where('d.subject_id', '=', subjectId)
    .executeTakeFirst();
}

/** A subject's decision history, newest first. */
export async function listDecisionHistory(executor: Executor, subjectId: string, page: PageRequest): Promise<Page<DecisionHistoryRow>> {
  const query = t(executor).selectFrom('scoring_decision_history').selectAll().where('subject_id', '=', subjectId);
  return paginate(query, page, {
    sort: 'scoring_decision_history.revision',
    id: 'scoring_decision_history.id',
    sortOf: (r) => r.revision,
    idOf: (r) => r.id,
    direction: 'desc',
  });
}
