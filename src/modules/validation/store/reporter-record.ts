import { sql } from 'kysely';
import type { Executor } from '../../../platform/db/index.js';
import { chunks, t } from './tables.js';

/** Decided clusters per organisation: how many hold one of its reports with each verdict. */
export type DecidedCounts = Map<string, { valid: number; invalid: number }>;

/** The maintained counters of these organisations (absent: no decided cluster holds one of their reports). */
export async function reporterRecords(executor: Executor, orgIds: readonly string[]): Promise<DecidedCounts> {
  const out: DecidedCounts = new Map();
  for (const ids of chunks(orgIds)) {
    for (const row of await t(executor).selectFrom('validation_reporter_record').selectAll().where('org_id', 'in', ids).execute())
      out.set(row.org_id, { valid: Number(row.valid), invalid: Number(row.invalid) });
  }
  return out;
}

/** What these clusters add to the counters now: each decided cluster once per organisation with a report in it. */
async function contributionsOf(executor: Executor, clusterIds: readonly string[]): Promise<DecidedCounts> {
  const out: DecidedCounts = new Map();
  for (const ids of chunks(clusterIds)) {
    const rows = await t(executor)
      .selectFrom('validation_triage as tr')
      .innerJoin('validation_report as r', 'r.cluster_id', 'tr.cluster_id')
      .select(['r.reporter_org_id as org', 'tr.verdict', sql<number>`count(distinct r.cluster_id)`.as('n')])
      .where('tr.cluster_id', 'in', ids)
      .where('tr.verdict', 'in', ['valid', 'invalid'])
      .groupBy(['r.reporter_org_id', 'tr.verdict'])
      .execute();
    for (const row of rows) {
      const counts = out.get(row.org) ?? { valid: 0, invalid: 0 };
      if (row.verdict === 'valid') counts.valid += Number(row.n);
      else counts.invalid += Number(row.n);
      out.set(row.org, counts);
    }
  }
  return out;
}

/**
 * Runs `change` — which may give these clusters verdicts or move reports into or out of them — and moves
 * the reporters' counters by what it changed, in the caller's transaction. The caller holds the clusters'
 * locks, so that nothing else changes them between the two looks. A change to a cluster not named here is
 * not counted: name every cluster it touches, except those without a valid or invalid verdict that it gives
 * none (they count for nothing before and after). Named none, it only runs `change`.
 */
export async function keepingReporterRecords<T>(trx: Executor, clusterIds: readonly string[], change: () => Promise<T>): Promise<T> {
  if (clusterIds.length === 0) return change();
  const before = await contributionsOf(trx, clusterIds);
  const result = await change();
  const after = await contributionsOf(trx, clusterIds);
  const deltas: { org_id: string; valid: number; invalid: number }[] = [];
  for (const org of new Set([...before.keys(), ...after.keys()])) {
    const valid = (after.get(org)?.valid ?? 0) - (before.get(org)?.valid ?? 0);
    const invalid = (after.get(org)?.invalid ?? 0) - (before.get(org)?.invalid ?? 0);
    if (valid !== 0 || invalid !== 0) deltas.push({ org_id: org, valid, invalid });
  }
  // Sorted, so that two transactions touching the same organisations take their row locks in one order.
  deltas.sort((a, b) => (a.org_id < b.org_id ? -1 : a.org_id > b.org_id ? 1 : 0));
  for (const delta of deltas) {
    await t(trx)
      .insertInto('validation_reporter_record')
      .values(delta)
      .onConflict((oc) =>
        oc.column('org_id').doUpdateSet({
          valid: sql`validation_reporter_record.valid + excluded.valid`,
          invalid: sql`validation_reporter_record.invalid + excluded.invalid`,
        }),
      )
      .execute();
  }
  return result;
}
