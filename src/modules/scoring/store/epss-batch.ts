import { sql } from 'kysely';
import type { DialectCapabilities, Executor } from '../../../platform/db/index.js';

/** What one batch of {@link storeEpssBatch} looked at and wrote. */
export interface EpssBatch {
  /** The last decided subject of the batch (null: none was left after `after`). */
  readonly last: string | null;
  /** Decided subjects looked at: at most the batch size; fewer only at the end. */
  readonly looked: number;
  /** The subjects whose EPSS columns it rewrote, with a history row each, in subject id order. */
  readonly written: string[];
}

/**
 * Re-prioritizes the next `size` decided subjects after `after` (in subject id order) for the EPSS scores now
 * stored, in one statement that reads, compares and writes inside the database: the score that counts
 * (`pickEpss`'s, ranked by `DISTINCT ON` as in `epssMoves`) compared with the one each decision holds, and,
 * for every decision it moved, its EPSS columns, revision and evaluation time rewritten and a history row
 * inserted — `changes` built as `JSON.stringify({ epss: [epssOf(before), epssOf(after)] })` builds it (jsonb
 * keeps no key order or number spelling, so the stored values are the same). Nothing of the rows goes through
 * this process but the subject ids written: 100,000 moved decisions cost ~2.9 s of Node CPU when they were
 * read out, compared, sent back as 30,000-parameter VALUES lists and history JSON (issue 14).
 *
 * A decision is written only where its revision is still the one the statement read: one decided again
 * meanwhile (its row locked and re-checked by the update) keeps what that decision wrote. `historyIds` are
 * the ids of the history rows, taken in subject id order, at least `size` of them (unused ones are dropped);
 * they go as one JSON array and the subjects written come back as one, each parsed natively at its end, where
 * pg escapes and parses a text[] in JavaScript character by character (0.2 s of Node CPU a run).
 * Needs a WITH that may hold writes and `DISTINCT ON` (see {@link DialectCapabilities.writesInWith}).
 */
export async function storeEpssBatch(
  executor: Executor,
  caps: DialectCapabilities,
  batch: { readonly after: string; readonly size: number; readonly evaluatedAt: string; readonly historyIds: readonly string[] },
): Promise<EpssBatch> {
  if (!caps.writesInWith || !caps.distinctOn) throw new Error('storeEpssBatch needs writes in WITH and DISTINCT ON');
  const { after, size, evaluatedAt } = batch;
  if (batch.historyIds.length < size) throw new Error('storeEpssBatch: fewer history ids than the batch size');
  const at = sql`cast(${evaluatedAt} as ${sql.raw(caps.types.timestamp)})`;
  // The bounds of the batch are its first and last subjects: every read and write of the statement is a
  // range scan of a primary key between them, where joining the batch to the whole table was planned as a
  // scan of all 100,000 decisions per batch.
  const score = (prefix: string) =>
    sql.raw(
      `case when ${prefix}epss is null then null ` +
        `else jsonb_build_object('cveId', ${prefix}epss_cve_id, 'epss', ${prefix}epss, 'date', ${prefix}epss_date) end`,
    );
  const { rows } = await sql<{ last: string | null; looked: number; written: string }>`
    with batch as materialized (
      select subject_id, revision, epss, epss_cve_id, epss_date
      from scoring_decision where subject_id > ${after} order by subject_id limit ${size}
    ),
    bounds as (select max(subject_id) as last, cast(count(*) as integer) as looked from batch),
    counts as (
      select distinct on (c.subject_id) c.subject_id, e.cve_id, e.epss, e.percentile, e.score_date
      from scoring_subject_cve c
      inner join scoring_epss_latest e on e.cve_id = c.cve_id
      where c.subject_id > ${after} and c.subject_id <= (select last from bounds)
      order by c.subject_id, e.epss desc, e.score_date desc, e.cve_id
    ),
    moved as (
      select b.subject_id, b.revision, b.epss as was_epss, b.epss_cve_id as was_epss_cve_id, b.epss_date as was_epss_date,
             n.cve_id, n.epss, n.percentile, n.score_date, cast(row_number() over (order by b.subject_id) as integer) as n
      from batch b left join counts n on n.subject_id = b.subject_id
      where b.epss_cve_id is distinct from n.cve_id or b.epss is distinct from n.epss
    ),
    updated as (
      update scoring_decision d
      set revision = m.revision + 1, epss = m.epss, epss_percentile = m.percentile, epss_date = m.score_date,
          epss_cve_id = m.cve_id, evaluated_at = ${at}
      from moved m
      where d.subject_id = m.subject_id and d.revision = m.revision
        and d.subject_id > ${after} and d.subject_id <= (select last from bounds)
      returning d.subject_id, d.revision, d.outcome, d.epss, d.epss_cve_id, d.epss_date,
                m.was_epss, m.was_epss_cve_id, m.was_epss_date, m.n
    ),
    history as (
      insert into scoring_decision_history (id, subject_id, revision, at, reason, outcome, previous_outcome, changes, explanation)
      select i.id, u.subject_id, u.revision, ${at}, 'epss', u.outcome, u.outcome,
             jsonb_build_object('epss', jsonb_build_array(${score('u.was_')}, ${score('u.')})), null
      from updated u
      inner join json_array_elements_text(cast(${JSON.stringify(batch.historyIds)} as json)) with ordinality as i (id, n) on i.n = u.n
      returning subject_id
    )
    select b.last, b.looked, (select coalesce(json_agg(subject_id order by subject_id), '[]') from history) as written
    from bounds b`.execute(executor);
  const row = rows[0];
  if (row === undefined || row.looked === 0) return { last: null, looked: 0, written: [] };
  // JSON text (read back as text on every dialect): parsed natively, where a text[] is parsed character by character.
  return { last: row.last, looked: row.looked, written: JSON.parse(row.written) as string[] };
}
