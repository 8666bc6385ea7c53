import { paginate, type Executor, type Page, type PageRequest } from '../../../platform/db/index.js';
import { chunks, fromExcluded, t, type EpssImportRow, type EpssScoreRow } from './tables.js';

/**
 * Stores scores by CVE and day: new ones are inserted, a day re-published with other numbers is
 * overwritten, an identical one is left alone. Returns how many rows were inserted or changed.
 */
export async function upsertEpssScores(executor: Executor, rows: readonly EpssScoreRow[]): Promise<number> {
  let stored = 0;
  for (const part of chunks(rows)) {
    const result = await t(executor)
      .insertInto('scoring_epss_score')
      .values(part)
      .onConflict((oc) =>
        oc
          .columns(['cve_id', 'score_date'])
          .doUpdateSet(fromExcluded<EpssScoreRow>(['epss', 'percentile', 'model_version']))
          .where((eb) =>
            eb.or([
              eb('scoring_epss_score.epss', '<>', eb.ref('excluded.epss')),
              eb('scoring_epss_score.percentile', '<>', eb.ref('excluded.percentile')),
            ]),
          ),
      )
      .executeTakeFirst();
    stored += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return stored;
}

/**
 * Keeps each CVE's newest score in `scoring_epss_latest`: a score replaces the held one when it is for a
 * later day, or for the same day with other numbers; an older day (a backfill) leaves it alone. Returns
 * how many CVEs' latest score changed.
 */
export async function upsertEpssLatest(executor: Executor, rows: readonly EpssScoreRow[]): Promise<number> {
  let changed = 0;
  for (const part of chunks(rows)) {
    const result = await t(executor)
      .insertInto('scoring_epss_latest')
      .values(part)
      .onConflict((oc) =>
        oc
          .column('cve_id')
          .doUpdateSet(fromExcluded<EpssScoreRow>(['score_date', 'epss', 'percentile', 'model_version']))
          .where((eb) =>
            eb.or([
              eb('scoring_epss_latest.score_date', '<', eb.ref('excluded.score_date')),
              eb.and([
                eb('scoring_epss_latest.score_date', '=', eb.ref('excluded.score_date')),
                eb.or([
                  eb('scoring_epss_latest.epss', '<>', eb.ref('excluded.epss')),
                  eb('scoring_epss_latest.percentile', '<>', eb.ref('excluded.percentile')),
                ]),
              ]),
            ]),
          ),
      )
      .executeTakeFirst();
    changed += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return changed;
}

/** The newest score of each of these CVEs that has one. */
export async function findEpssLatest(executor: Executor, cveIds: readonly string[]): Promise<EpssScoreRow[]> {
  const out: EpssScoreRow[] = [];
  for (const ids of chunks(cveIds, 1000))
    out.push(...(await t(executor).selectFrom('scoring_epss_latest').selectAll().where('cve_id', 'in', ids).execute()));
  return out;
}

/** A CVE's scores, newest day first. */
export async function epssHistory(executor: Executor, cveId: string, limit: number): Promise<EpssScoreRow[]> {
  return t(executor)
    .selectFrom('scoring_epss_score')
    .selectAll()
    .where('cve_id', '=', cveId)
    .orderBy('score_date', 'desc')
    .limit(limit)
    .execute();
}

export interface EpssCounts {
  readonly latestScoreDate: string | null;
  /** CVEs with any score. */
  readonly cvesScored: number;
  /** Scores held for the latest day. */
  readonly scoresOnLatestDate: number;
  /** Distinct days held. */
  readonly days: number;
}

export async function epssCounts(executor: Executor): Promise<EpssCounts> {
  const k = t(executor);
  const latest = await k
    .selectFrom('scoring_epss_score')
    .select((eb) => eb.fn.max('score_date').as('d'))
    .executeTakeFirst();
  const latestScoreDate = latest?.d ?? null;
  const scored = await k
    .selectFrom('scoring_epss_latest')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirst();
  const onLatest =
    latestScoreDate === null
      ? undefined
      : await k
          .selectFrom('scoring_epss_score')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .where('score_date', '=', latestScoreDate)
          .executeTakeFirst();
  const days = await k
    .selectFrom('scoring_epss_score')
    .select((eb) => eb.fn.count<number | string>('score_date').distinct().as('n'))
    .executeTakeFirst();
  return { latestScoreDate, cvesScored: Number(scored?.n ?? 0), scoresOnLatestDate: Number(onLatest?.n ?? 0), days: Number(days?.n ?? 0) };
}

export async function insertEpssImport(executor: Executor, row: EpssImportRow): Promise<void> {
  await t(executor).insertInto('scoring_epss_import').values(row).execute();
}

export async function lastEpssImport(executor: Executor): Promise<EpssImportRow | undefined> {
  return t(executor).selectFrom('scoring_epss_import').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** Imports, newest first. */
export async function listEpssImports(executor: Executor, page: PageRequest): Promise<Page<EpssImportRow>> {
  const query = t(executor).selectFrom('scoring_epss_import').selectAll();
  return paginate(query, page, {
    sort: 'scoring_epss_import.id',
    id: 'scoring_epss_import.id',
    sortOf: (r) => r.id,
    idOf: (r) => r.id,
    direction: 'desc',
  });
}
