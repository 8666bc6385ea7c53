import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { describeEachDatabase, type Dialect } from '#test-support/databases.js';
import { createTestRuntime, type TestRuntime } from '#test-support/runtime.js';
import { DAY } from '../../../platform/clock.js';
import { prioritizeMany } from './decisions.js';
import { importEpssScores } from './epss-import.js';
import { reprioritize } from './reprioritize.js';
import { reprioritizeAfterEpss } from './reprioritize-epss.js';
import { epssCsv, subject } from '../test-support/feeds.js';
import { storeEpssColumns } from '../store/decisions.js';
import { auditActions, eventsOfType } from '../test-support/records.js';

// Subjects covering what the pick depends on: no CVE, a CVE never scored, a score that moves, one that only
// changes its percentile (not a change), a tie broken by the CVE id on one day and by the later day on the next,
// a CVE that drops out of the newer day (its older score still counts), and a score that is the same on the
// next day (not a change: FIRST publishes every CVE every day).
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
  ['CVE-2026-0006', 0.5, 0.81],
  ['CVE-2026-0008', 0.2, 0.45],
  ['CVE-2026-0009', 0.2, 0.55],
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

/** Opens test runtimes on `dialect`, each closed and its database dropped after the test that opened it. */
function runtimesClosedAfterEach(dialect: Dialect): () => Promise<TestRuntime> {
  const runtimes: TestRuntime[] = [];
  afterEach(async () => {
    for (const t of runtimes.splice(0)) {
      await t.runtime.close();
      await t.database.drop();
    }
  });
  return async () => {
    const t = await createTestRuntime(dialect);
    runtimes.push(t);
    return t;
  };
}

describeEachDatabase('re-prioritization after an EPSS day', (dialect) => {
  const open = runtimesClosedAfterEach(dialect);

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

  it('rewrites only the decisions whose score a new day moves, and nothing after a day that moves none', async () => {
    const t = await open();
    const cves = Array.from({ length: 12 }, (_, i) => `CVE-2026-${String(1000 + i)}`);
    const subjectOf = (i: number) => `clu_${String(i).padStart(2, '0')}`;
    await prioritizeMany(
      t.system,
      cves.map((cve, i) => subject(subjectOf(i), { cveIds: [cve] })),
    );
    const day = (date: string, moved: readonly number[], percentile: number) =>
      epssCsv(
        date,
        cves.map((cve, i) => [cve, moved.includes(i) ? 0.9 : (i + 1) / 100, percentile] as const),
      );
    await importEpssScores(t.system, { data: day('2026-06-01', [], 0.5), source: 'epss.csv' });
    expect(await reprioritizeAfterEpss(t.system, { batchSize: 5 })).toMatchObject({ subjects: 12, changed: 12 });
    const before = await stored(t);

    // Day two publishes every CVE again, all with new percentiles, three with a new probability.
    t.clock.advance(DAY);
    await importEpssScores(t.system, { data: day('2026-06-02', [2, 3, 11], 0.6), source: 'epss.csv' });
    expect(await reprioritizeAfterEpss(t.system, { batchSize: 5 })).toEqual({ subjects: 12, changed: 3, created: 0, outcomeChanged: 0 });
    const after = await stored(t);
    const json = (value: unknown) => (typeof value === 'string' ? (JSON.parse(value) as unknown) : value);
    const added = after.history.filter((h) => !before.history.some((b) => b.subject_id === h.subject_id && b.revision === h.revision));
    expect(added.map((h) => ({ ...h, at: undefined, changes: json(h.changes), same: h.outcome === h.previous_outcome }))).toEqual(
      [2, 3, 11].map((i) => ({
        subject_id: subjectOf(i),
        revision: 3,
        at: undefined,
        reason: 'epss',
        outcome: expect.any(String),
        previous_outcome: expect.any(String),
        same: true,
        changes: {
          epss: [
            { cveId: cves[i], epss: (i + 1) / 100, date: '2026-06-01' },
            { cveId: cves[i], epss: 0.9, date: '2026-06-02' },
          ],
        },
        explanation: null,
      })),
    );
    // Every other decision is as it was, row for row; the moved ones hold the new score, day and percentile.
    const moved = new Set([2, 3, 11].map(subjectOf));
    expect(after.decisions.filter((d) => !moved.has(d.subject_id))).toEqual(before.decisions.filter((d) => !moved.has(d.subject_id)));
    expect(after.decisions.filter((d) => moved.has(d.subject_id)).map((d) => [d.revision, d.epss, d.epss_percentile, d.epss_date])).toEqual(
      [
        [3, 0.9, 0.6, '2026-06-02'],
        [3, 0.9, 0.6, '2026-06-02'],
        [3, 0.9, 0.6, '2026-06-02'],
      ],
    );
    expect(after.details).toEqual(before.details);
    // One tie-breaker audit event per batch of five subjects that moved anything.
    expect(after.audit.slice(before.audit.length)).toEqual([
      { action: 'scoring.decision.reprioritize', diff: { reason: 'epss', count: 2, subjects: ['clu_02', 'clu_03'] } },
      { action: 'scoring.decision.reprioritize', diff: { reason: 'epss', count: 1, subjects: ['clu_11'] } },
    ]);
    expect(after.events).toEqual(before.events);

    // Day three publishes day two's probabilities again, with new percentiles: nothing to write.
    t.clock.advance(DAY);
    await importEpssScores(t.system, { data: day('2026-06-03', [2, 3, 11], 0.7), source: 'epss.csv' });
    expect(await reprioritizeAfterEpss(t.system, { batchSize: 5 })).toEqual({ subjects: 12, changed: 0, created: 0, outcomeChanged: 0 });
    expect(await stored(t)).toEqual(after);
  });
});

describeEachDatabase('re-prioritization after an EPSS day, interrupted', (dialect) => {
  const open = runtimesClosedAfterEach(dialect);
  const cves = Array.from({ length: 12 }, (_, i) => `CVE-2026-${String(2000 + i)}`);
  const prepare = async (t: TestRuntime) => {
    await prioritizeMany(
      t.system,
      cves.map((cve, i) => subject(`clu_${String(i).padStart(2, '0')}`, { cveIds: [cve] })),
    );
    await importEpssScores(t.system, {
      data: epssCsv(
        '2026-06-01',
        cves.map((cve, i) => [cve, (i + 1) / 100, 0.5] as const),
      ),
      source: 'e.csv',
    });
  };

  it('stopped after a batch, keeps that batch whole and the rest as it was; the next run stores what one run stores', async () => {
    const whole = await open();
    const stopped = await open();
    await prepare(whole);
    await prepare(stopped);
    await reprioritizeAfterEpss(whole.system, { batchSize: 5 });
    const stop = new Error('killed between batches');
    await expect(
      reprioritizeAfterEpss(stopped.system, {
        batchSize: 5,
        onProgress: () => {
          throw stop;
        },
      }),
    ).rejects.toBe(stop);
    const half = await stored(stopped);
    // The first five decisions hold the day's score, each with its history row and one audit event; the others none.
    expect(half.decisions.map((d) => d.epss)).toEqual([0.01, 0.02, 0.03, 0.04, 0.05, null, null, null, null, null, null, null]);
    expect(half.history.filter((h) => h.reason === 'epss').map((h) => h.subject_id)).toEqual([
      'clu_00',
      'clu_01',
      'clu_02',
      'clu_03',
      'clu_04',
    ]);
    expect(half.audit.filter((a) => a.action === 'scoring.decision.reprioritize')).toHaveLength(1);
    expect(await reprioritizeAfterEpss(stopped.system, { batchSize: 5 })).toMatchObject({ subjects: 12, changed: 7 });
    expect(await stored(stopped)).toEqual(await stored(whole));
  });

  it('leaves a decision decided again since it was read as that decision wrote it', async () => {
    const t = await open();
    await prepare(t);
    const db = t.runtime.db;
    const before = await db.kysely.selectFrom('scoring_decision').selectAll().where('subject_id', '=', 'clu_00').executeTakeFirstOrThrow();
    // Read at revision 1, written as revision 2: the stored revision (1) matches; at a stale read it would not.
    const stale = {
      subject_id: 'clu_00',
      revision: before.revision,
      epss: 0.5,
      epss_percentile: 0.5,
      epss_date: '2026-06-01',
      epss_cve_id: cves[0] ?? null,
    };
    const updated = await db.kysely.transaction().execute((trx) => storeEpssColumns(trx, db.caps, '2026-06-02T00:00:00.000Z', [stale]));
    expect(updated).toEqual(new Set());
    expect(await db.kysely.selectFrom('scoring_decision').selectAll().where('subject_id', '=', 'clu_00').executeTakeFirstOrThrow()).toEqual(
      before,
    );
    const fresh = { ...stale, revision: before.revision + 1 };
    expect(await db.kysely.transaction().execute((trx) => storeEpssColumns(trx, db.caps, '2026-06-02T00:00:00.000Z', [fresh]))).toEqual(
      new Set(['clu_00']),
    );
  });

  it.runIf(dialect === 'postgres')(
    'leaves a decision another process decides again while the batch waits for its row as that wrote it, history and all; the next run moves it',
    async () => {
      const t = await open();
      await prepare(t);
      const other = new pg.Client({ connectionString: t.database.url });
      await other.connect();
      try {
        // Another server decides clu_00 again (revision 2, history row 2) and has not committed yet.
        await other.query('begin');
        await other.query(
          `update scoring_decision set revision = 2, epss = 0.5, epss_cve_id = $1, epss_date = '2026-06-01' where subject_id = 'clu_00'`,
          [cves[0]],
        );
        await other.query(
          `insert into scoring_decision_history (id, subject_id, revision, at, reason, outcome, previous_outcome, changes, explanation)
           select 'dech_other', subject_id, 2, evaluated_at, 'other', outcome, outcome, '{}', null from scoring_decision where subject_id = 'clu_00'`,
        );
        const running = reprioritizeAfterEpss(t.system, { batchSize: 5 });
        // The first batch reaches clu_00's row and waits for the other transaction.
        for (;;) {
          const { rows } = await other.query<{ n: string }>(
            `select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`,
          );
          if (Number(rows[0]?.n) > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await other.query('commit');
        expect(await running).toEqual({ subjects: 12, changed: 11, created: 0, outcomeChanged: 0 });
      } finally {
        await other.end();
      }
      const after = await stored(t);
      expect(after.decisions.map((d) => [d.subject_id, d.revision, d.epss])).toEqual(
        cves.map((_, i) => [`clu_${String(i).padStart(2, '0')}`, 2, i === 0 ? 0.5 : (i + 1) / 100]),
      );
      expect(after.history.filter((h) => h.subject_id === 'clu_00').map((h) => [h.revision, h.reason])).toEqual([
        [1, 'inputs'],
        [2, 'other'],
      ]);
      // Run again, as the consumer's next delivery would: clu_00 now holds a score that is not the day's.
      expect(await reprioritizeAfterEpss(t.system, { batchSize: 5 })).toMatchObject({ subjects: 12, changed: 1 });
      expect((await stored(t)).decisions[0]).toMatchObject({ subject_id: 'clu_00', revision: 3, epss: 0.01 });
    },
  );
});
