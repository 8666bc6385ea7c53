import type { Expression, SqlBool } from 'kysely';
import { insertMany, paginate, type DialectCapabilities, type Executor, type Page, type PageRequest } from '../../../platform/db/index.js';
import {
  chunks,
  fromExcluded,
  t,
  type DecisionDetailRow,
  type DecisionHistoryRow,
  type DecisionRow,
  type EpssScoreRow,
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

/** One page of current decisions, in subject id order, after `after` (exclusive): the narrow rows only. */
export async function decisionsAfter(executor: Executor, after: string | null, limit: number): Promise<DecisionRow[]> {
  return t(executor)
    .selectFrom('scoring_decision')
    .selectAll()
    .$if(after !== null, (q) => q.where('subject_id', '>', after ?? ''))
    .orderBy('subject_id')
    .limit(limit)
    .execute();
}

/**
 * The newest EPSS score of every CVE named by the subjects from `first` to `last` (both inclusive, in subject
 * id order), one row per subject and scored CVE: a range on the index, not a list of ids.
 */
export async function latestEpssOfSubjects(
  executor: Executor,
  first: string,
  last: string,
): Promise<(EpssScoreRow & { subject_id: string })[]> {
  return t(executor)
    .selectFrom('scoring_subject_cve as c')
    .innerJoin('scoring_epss_latest as e', 'e.cve_id', 'c.cve_id')
    .select(['c.subject_id', 'e.cve_id', 'e.score_date', 'e.epss', 'e.percentile', 'e.model_version'])
    .where('c.subject_id', '>=', first)
    .where('c.subject_id', '<=', last)
    .execute();
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

/** Every column of a decision row, in the order of the multi-row statements below. */
const DECISION_COLUMNS: readonly (keyof DecisionRow & string)[] = [
  'subject_id',
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
  'created_at',
];

export async function upsertDecisions(executor: Executor, rows: readonly DecisionRow[]): Promise<void> {
  for (const part of chunks(rows)) {
    await t(executor)
      .insertInto('scoring_decision')
      .values(part)
      .onConflict((oc) =>
        oc
          .column('subject_id')
          .doUpdateSet(fromExcluded<DecisionRow>(DECISION_COLUMNS.filter((c) => c !== 'subject_id' && c !== 'created_at'))),
      )
      .execute();
  }
}

const HISTORY_COLUMNS: readonly (keyof DecisionHistoryRow & string)[] = [
  'id',
  'subject_id',
  'revision',
  'at',
  'reason',
  'outcome',
  'previous_outcome',
  'changes',
  'explanation',
];

/**
 * Stores new EPSS columns, revisions and evaluation times of existing decisions, with their history rows:
 * multi-row statements built directly (see insertMany), for re-prioritization's thousands of rows.
 */
export async function storeEpssChanges(
  executor: Executor,
  caps: DialectCapabilities,
  rows: readonly DecisionRow[],
  history: readonly DecisionHistoryRow[],
): Promise<void> {
  await insertMany(
    executor,
    caps,
    'scoring_decision',
    DECISION_COLUMNS,
    rows.map((r) => DECISION_COLUMNS.map((c) => r[c])),
    { onConflictUpdate: { key: ['subject_id'], set: ['revision', 'epss', 'epss_percentile', 'epss_date', 'epss_cve_id', 'evaluated_at'] } },
  );
  await insertMany(
    executor,
    caps,
    'scoring_decision_history',
    HISTORY_COLUMNS,
    history.map((h) => HISTORY_COLUMNS.map((c) => h[c])),
  );
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
