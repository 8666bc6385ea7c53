import { afterEach, expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { createTestRuntime, type TestRuntime } from '#test-support/runtime.js';
import { DAY } from '../../../platform/clock.js';
import { prioritizeMany } from './decisions.js';
import { importEpssScores } from './epss-import.js';
import { reprioritize } from './reprioritize.js';
import { reprioritizeAfterEpss } from './reprioritize-epss.js';
import { epssCsv, subject } from '../test-support/feeds.js';
import { auditActions, eventsOfType } from '../test-support/records.js';

// Subjects covering what the pick depends on: no CVE, a CVE never scored, a score that moves, one that only
// changes its percentile (not a change), a tie broken by the later day then by the CVE id, a CVE that drops
// out of the newer day (its older score still counts), and a score that is the same on the next day.
const SUBJECTS = [
  subject('clu_a_none', { cveIds: [] }),
  subject('clu_b_unscored', { cveIds: ['CVE-2026-0001'] }),
  subject('clu_c_moves', { cveIds: ['CVE-2026-0002', 'CVE-2026-0003'] }),
  subject('clu_d_percentile', { cveIds: ['CVE-2026-0004'] }),
  subject('clu_e_tie', { cveIds: ['CVE-2026-0006', 'CVE-2026-0005'] }),
  subject('clu_f_dropped', { cveIds: ['CVE-2026-0007', 'CVE-2026-0008'] }),
  subject('clu_g_same', { cveIds: ['CVE-2026-0009'] }),
];
const DAY_ONE = epssCsv('2026-06-01', [
  ['CVE-2026-0002', 0.1, 0.5],
  ['CVE-2026-0003', 0.2, 0.6],
  ['CVE-2026-0004', 0.3, 0.7],
  ['CVE-2026-0005', 0.5, 0.8],
  ['CVE-2026-0006', 0.5, 0.8],
  ['CVE-2026-0007', 0.9, 0.99],
  ['CVE-2026-0008', 0.1, 0.4],
  ['CVE-2026-0009', 0.2, 0.5],
]);
const DAY_TWO = epssCsv('2026-06-02', [
  ['CVE-2026-0002', 0.7, 0.97],
  ['CVE-2026-0003', 0.2, 0.6],
  ['CVE-2026-0005', 0.5, 0.8],
  ['CVE-2026-0006', 0.5, 0.81],
  ['CVE-2026-0008', 0.2, 0.45],
]);
// Day one re-published with another percentile for one CVE: its latest score changes, what a decision compares does not.
const DAY_ONE_AGAIN = epssCsv('2026-06-01', [['CVE-2026-0004', 0.3, 0.75]]);

/** Decides the subjects, then imports two EPSS days, reprioritizing after each as `run` does. */
async function scenario(t: TestRuntime, run: (t: TestRuntime) => Promise<unknown>): Promise<void> {
  await prioritizeMany(t.system, SUBJECTS);
  await importEpssScores(t.system, { data: DAY_ONE, source: 'epss.csv' });
  await run(t);
  t.clock.advance(DAY);
  await importEpssScores(t.system, { data: DAY_TWO, source: 'epss.csv' });
  await importEpssScores(t.system, { data: DAY_ONE_AGAIN, source: 'epss.csv' });
  await run(t);
}

async function stored(t: TestRuntime) {
  const db = t.runtime.db.kysely;
  return {
    decisions: await db.selectFrom('scoring_decision').selectAll().orderBy('subject_id').execute(),
    details: await db.selectFrom('scoring_decision_detail').selectAll().orderBy('subject_id').execute(),
    history: await db
      .selectFrom('scoring_decision_history')
      .select(['subject_id', 'revision', 'at', 'reason', 'outcome', 'previous_outcome', 'changes', 'explanation'])
      .orderBy('subject_id')
      .orderBy('revision')
      .execute(),
    audit: (await auditActions(t.runtime.db, 'scoring.decision')).map((a) => ({
      action: a.action,
      diff: a.action === 'scoring.decision.reprioritize' ? JSON.parse(a.diff) : a.subject_id,
    })),
    events: await eventsOfType(t.runtime.db, 'scoring.decision.changed'),
  };
}

describeEachDatabase('re-prioritization after an EPSS day', (dialect) => {
  const runtimes: TestRuntime[] = [];
  afterEach(async () => {
    for (const t of runtimes.splice(0)) {
      await t.runtime.close();
      await t.database.drop();
    }
  });
  const open = async () => {
    const t = await createTestRuntime(dialect);
    runtimes.push(t);
    return t;
  };

  it('stores what a full recomputation with reason epss stores: decisions, history, audit, no events', async () => {
    const full = await open();
    const epssOnly = await open();
    await scenario(full, (t) => reprioritize(t.system, { reason: 'epss', batchSize: 3 }));
    await scenario(epssOnly, (t) => reprioritizeAfterEpss(t.system, { batchSize: 3 }));
    const expected = await stored(full);
    // The oracle must have seen changes of its own, or the comparison proves nothing.
    expect(expected.history.filter((h) => h.reason === 'epss').map((h) => h.subject_id)).toEqual([
      'clu_c_moves',
      'clu_c_moves',
      'clu_d_percentile',
      'clu_e_tie',
      'clu_e_tie',
      'clu_f_dropped',
      'clu_g_same',
    ]);
    expect(await stored(epssOnly)).toEqual(expected);
  });

  it('writes nothing when run again, and counts what it looked at', async () => {
    const t = await open();
    await prioritizeMany(t.system, SUBJECTS);
    await importEpssScores(t.system, { data: DAY_ONE, source: 'epss.csv' });
    expect(await reprioritizeAfterEpss(t.system, { batchSize: 4 })).toEqual({ subjects: 7, changed: 5, created: 0, outcomeChanged: 0 });
    const before = await stored(t);
    expect(await reprioritizeAfterEpss(t.system)).toEqual({ subjects: 7, changed: 0, created: 0, outcomeChanged: 0 });
    expect(await stored(t)).toEqual(before);
  });
});
