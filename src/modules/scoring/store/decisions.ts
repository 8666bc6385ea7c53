import { CompiledQuery, sql, type Expression, type SqlBool } from 'kysely';
import {
  chunkSizes,
  insertMany,
  paginate,
  type DialectCapabilities,
  type Executor,
  type Page,
  type PageRequest,
} from '../../../platform/db/index.js';
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

/** A decided subject whose EPSS tie-breaker no longer holds: its stored columns and the score that counts now (null: none). */
export interface EpssMove {
  /** Where the subject stands among all decided subjects in subject id order, from 1. */
  readonly position: number;
  readonly subject_id: string;
  readonly revision: number;
  readonly outcome: string;
  readonly epss: number | null;
  readonly epss_cve_id: string | null;
  readonly epss_date: string | null;
  readonly next_epss: number | null;
  readonly next_percentile: number | null;
  readonly next_date: string | null;
  readonly next_cve_id: string | null;
}

/**
 * Every decision whose stored EPSS score is no longer the one that counts, in subject id order, compared in the
 * database in one statement so that only those rows come back. The score that counts is `pickEpss`'s, ranked
 * here in SQL: the highest probability among the subject's CVEs, then the latest day, then the lowest CVE id
 * (ids and days have one shape each, `CVE-YYYY-N…` and `YYYY-MM-DD`, so every collation orders them as
 * JavaScript does). A decision holds the same score when it names the same CVE with the same probability: a new
 * day or percentile alone is no change (`sameEpss`). Ranked by a correlated lookup per subject, in process the
 * cheaper plan on SQLite (see `distinctOn`); where a statement can also write (PostgreSQL), storeEpssBatch
 * compares and writes in one.
 */
export async function epssMoves(executor: Executor): Promise<EpssMove[]> {
  const query = sql<EpssMove>`
    select d.position, d.subject_id, d.revision, d.outcome, d.epss, d.epss_cve_id, d.epss_date,
           e.epss as next_epss, e.percentile as next_percentile, e.score_date as next_date, e.cve_id as next_cve_id
    from (
      select subject_id, revision, outcome, epss, epss_cve_id, epss_date,
             cast(row_number() over (order by subject_id) as integer) as position,
             (select c.cve_id
              from scoring_subject_cve c
              inner join scoring_epss_latest e on e.cve_id = c.cve_id
              where c.subject_id = d.subject_id
              order by e.epss desc, e.score_date desc, e.cve_id
              limit 1) as counts
      from scoring_decision d
    ) d
    left join scoring_epss_latest e on e.cve_id = d.counts
    where d.epss_cve_id is distinct from e.cve_id or d.epss is distinct from e.epss
    order by d.subject_id`;
  return (await query.execute(executor)).rows;
}

/** How many subjects have a decision. */
export async function decidedCount(executor: Executor): Promise<number> {
  const row = await t(executor)
    .selectFrom('scoring_decision')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
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

/** Every column of a decision row. */
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

/** The EPSS columns a re-prioritization after an EPSS day stores for one decision. */
export interface EpssColumns {
  readonly subject_id: string;
  readonly revision: number;
  readonly epss: number | null;
  readonly epss_percentile: number | null;
  readonly epss_date: string | null;
  readonly epss_cve_id: string | null;
}

const EPSS_COLUMNS = ['revision', 'epss', 'epss_percentile', 'epss_date', 'epss_cve_id'] as const;
const EPSS_COLUMN_TYPES = ['integer', 'double precision', 'double precision', 'text', 'text'] as const;

/**
 * Stores new EPSS columns and revisions of existing decisions, all evaluated at `evaluatedAt`: only those
 * columns written, by multi-row `update … from (values …)` statements built directly (see insertMany), and only
 * where the stored revision is still the one before `revision` (a decision decided again since it was read keeps
 * what that wrote). The values are cast where they are assigned, not in the VALUES list: PostgreSQL reads an
 * untyped parameter there as text, and SQLite, given casts inside the list, copies it into a temporary table
 * first (7× slower at 500 rows). Returns the subjects updated.
 */
export async function storeEpssColumns(
  executor: Executor,
  caps: DialectCapabilities,
  evaluatedAt: string,
  rows: readonly EpssColumns[],
): Promise<Set<string>> {
  const width = EPSS_COLUMNS.length + 1;
  const perStatement = Math.floor(30_000 / width);
  const set = EPSS_COLUMNS.map((c, i) => `${c} = cast(v.column${i + 2} as ${EPSS_COLUMN_TYPES[i] ?? 'text'})`).join(', ');
  const updated = new Set<string>();
  for (const [start, size] of chunkSizes(rows.length, perStatement, caps.reusesPreparedStatements)) {
    const parameters: unknown[] = [evaluatedAt];
    const tuples: string[] = [];
    for (let r = start; r < start + size; r += 1) {
      const row = rows[r] as EpssColumns;
      const first = parameters.length + 1;
      parameters.push(row.subject_id);
      for (const column of EPSS_COLUMNS) parameters.push(row[column]);
      tuples.push(`(${Array.from({ length: width }, (_, i) => caps.placeholder(first + i)).join(', ')})`);
    }
    const text =
      `update scoring_decision set ${set}, evaluated_at = ${caps.placeholder(1)} from (values ${tuples.join(', ')}) as v` +
      ` where scoring_decision.subject_id = v.column1 and scoring_decision.revision = cast(v.column2 as integer) - 1` +
      ` returning scoring_decision.subject_id`;
    const result = await executor.executeQuery<{ subject_id: string }>(CompiledQuery.raw(text, parameters));
    for (const { subject_id } of result.rows) updated.add(subject_id);
  }
  return updated;
}

/** Inserts history rows (see insertMany). */
export async function insertHistoryRows(
  executor: Executor,
  caps: DialectCapabilities,
  history: readonly DecisionHistoryRow[],
): Promise<void> {
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
