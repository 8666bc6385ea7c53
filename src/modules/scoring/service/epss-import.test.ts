import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { InputError } from '../../../platform/errors.js';
import { importEpssScores } from './epss-import.js';
import { getFeedStatus } from './feed-status.js';
import { epssApiJson, epssCsv } from '../test-support/feeds.js';
import { auditActions, countRows, eventsOfType } from '../test-support/records.js';

describeEachDatabase('EPSS import', (dialect) => {
  const get = useTestRuntime(dialect);

  it('keeps history by score date from the CSV (plain or gzip) and the API; re-import is a no-op', async () => {
    const { system, runtime } = get();
    const day1 = epssCsv('2026-06-01', [
      ['CVE-2021-44228', 0.97, 0.999],
      ['CVE-2026-0001', 0.01, 0.5],
    ]);
    const first = await importEpssScores(system, { data: gzipSync(day1), source: 'epss_scores-2026-06-01.csv.gz' });
    expect(first.import).toMatchObject({
      format: 'csv',
      modelVersion: 'v2025.03.14',
      scoreDates: ['2026-06-01'],
      rows: 2,
      stored: 2,
      latestChanged: 2,
    });
    expect(await importEpssScores(system, { data: day1, source: 'again.csv' })).toMatchObject({ changed: false, import: null });

    const day2 = epssApiJson([
      ['CVE-2021-44228', 0.95, 0.998, '2026-06-02'],
      ['CVE-2026-0002', 0.2, 0.9, '2026-06-02'],
    ]);
    expect((await importEpssScores(system, { data: day2, source: 'https://api.first.org/data/v1/epss' })).import).toMatchObject({
      format: 'api',
      stored: 2,
      latestChanged: 2,
    });
    expect(await countRows(runtime.db, 'scoring_epss_score')).toBe(4);
    const latest = await runtime.db.kysely
      .selectFrom('scoring_epss_latest')
      .selectAll()
      .where('cve_id', '=', 'CVE-2021-44228')
      .executeTakeFirstOrThrow();
    expect(latest).toMatchObject({ score_date: '2026-06-02', epss: 0.95, percentile: 0.998 });

    // A backfill of an older day adds history but leaves the newest scores alone.
    const backfill = await importEpssScores(system, { data: epssCsv('2026-05-31', [['CVE-2021-44228', 0.5, 0.9]]), source: 'old.csv' });
    expect(backfill.import).toMatchObject({ stored: 1, latestChanged: 0 });
    expect(
      await runtime.db.kysely
        .selectFrom('scoring_epss_latest')
        .select('epss')
        .where('cve_id', '=', 'CVE-2021-44228')
        .executeTakeFirstOrThrow(),
    ).toEqual({ epss: 0.95 });

    expect((await getFeedStatus(system)).epss).toMatchObject({
      latestScoreDate: '2026-06-02',
      cvesScored: 3,
      scoresOnLatestDate: 2,
      days: 3,
    });
    const events = await eventsOfType<{ scoreDate: string; count: number; latestChanged: number }>(runtime.db, 'scoring.epss.updated');
    expect(events.map((e) => e.payload)).toEqual([
      expect.objectContaining({ scoreDate: '2026-06-01', count: 2, latestChanged: 2 }),
      expect.objectContaining({ scoreDate: '2026-06-02', count: 2, latestChanged: 2 }),
      expect.objectContaining({ scoreDate: '2026-05-31', count: 1, latestChanged: 0 }),
    ]);
    expect((await auditActions(runtime.db)).map((a) => a.action)).toEqual([
      'scoring.epss.import',
      'scoring.epss.import',
      'scoring.epss.import',
    ]);
  });

  it('takes a score date for a CSV without its leading line, and rejects bad rows naming line and column', async () => {
    const { system } = get();
    const bare = 'cve,epss,percentile\nCVE-2026-0001,0.1,0.2\n';
    await expect(importEpssScores(system, { data: bare, source: 'bare.csv' })).rejects.toBeInstanceOf(InputError);
    expect((await importEpssScores(system, { data: bare, source: 'bare.csv', scoreDate: '2026-06-01' })).scoreDates).toEqual([
      '2026-06-01',
    ]);
    await expect(
      importEpssScores(system, { data: epssCsv('2026-06-02', [['CVE-2026-0001', 1.5, 0.2]]), source: 'bad.csv' }),
    ).rejects.toMatchObject({
      issues: [{ pointer: '/3/epss' }],
    });
  });
});
