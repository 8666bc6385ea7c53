import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { cli } from '#test-support/cli.js';
import { epssCsv, kevCatalogJson } from './test-support/feeds.js';
import { tempDirForTest } from '#test-support/temp-dir.js';

// No DATABASE_URL and a data directory that does not exist: the offline commands must not need either.
const offline = { CLEARINGHOUSE_DATA_DIR: '/nonexistent/clearinghouse-offline', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };

describe('clearinghouse score (offline)', () => {
  it('scores a CVSS vector: version, base, temporal and overall', async () => {
    const result = await cli(offline, 'score', 'cvss', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P', '--json');
    expect(result.code).toBe(0);
    expect(result.json()).toMatchObject({
      version: '3.1',
      base: { score: 9.8, severity: 'critical' },
      temporal: { score: 9.3 },
      environmental: null,
      overall: { nomenclature: 'CVSS-BT' },
    });
    const human = await cli(offline, 'score', 'cvss', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U');
    expect(human.stdout).toMatch(/CVSS 4\.0/);
    expect(human.stdout).toMatch(/base \(CVSS-B\)\s+9\.3\s+critical/);
    expect(human.stdout).toMatch(/threat \(CVSS-BT\)\s+8\.1\s+high/);
  });

  it('rejects a malformed vector with exit code 2, naming the metric', async () => {
    const result = await cli(offline, 'score', 'cvss', 'CVSS:3.1/AV:N/AC:Z/PR:N/UI:N/S:U/C:H/I:H/A:H');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/AC: 'Z' is not one of L, H/);
    expect((await cli(offline, 'score', 'cvss', 'CVSS:3.1/AV:N')).stderr).toMatch(/AC: base metric is missing/);
  });

  it('decides with the SSVC coordinator tree and shows the row', async () => {
    const args = [
      'score',
      'ssvc',
      '--exploitation',
      'poc',
      '--automatable',
      'no',
      '--technical-impact',
      'total',
      '--mission-wellbeing',
      'medium',
    ];
    const result = await cli(offline, ...args, '--json');
    expect(result.code).toBe(0);
    expect(result.json()).toEqual({
      outcome: 'track*',
      row: {
        index: 16,
        inputs: { exploitation: 'poc', automatable: 'no', technicalImpact: 'total', missionWellbeing: 'medium' },
        outcome: 'track*',
      },
      table: { id: 'cisa:DT_CO:2.0.3', name: 'CISA Coordinator', version: '2.0.3' },
    });
    expect((await cli(offline, ...args)).stdout).toMatch(/^Track\*\s+\(CISA Coordinator 2\.0\.3, row 16\)/);
    expect(
      (
        await cli(
          offline,
          'score',
          'ssvc',
          '--exploitation',
          'likely',
          '--automatable',
          'no',
          '--technical-impact',
          'total',
          '--mission-wellbeing',
          'low',
        )
      ).code,
    ).toBe(2);
    expect((await cli(offline, 'score', 'ssvc', '--exploitation', 'none')).code).toBe(2);
  });
});

describe('clearinghouse feeds', () => {
  it('loads KEV and EPSS files into the local database, re-loads as a no-op, and reports status', async () => {
    const dir = tempDirForTest('ch-feeds-');
    const env = { CLEARINGHOUSE_DATA_DIR: dir };
    writeFileSync(
      path.join(dir, 'kev.json'),
      kevCatalogJson('2026.06.01', '2026-06-01T12:00:00.000Z', [{ cveID: 'CVE-2026-0001' }, { cveID: 'CVE-2026-0002' }]),
    );
    writeFileSync(path.join(dir, 'epss.csv.gz'), gzipSync(epssCsv('2026-06-01', [['CVE-2026-0001', 0.3, 0.9]])));
    const load = await cli(env, 'feeds', 'load', '--kev', path.join(dir, 'kev.json'), '--epss', path.join(dir, 'epss.csv.gz'));
    expect(load.code).toBe(0);
    expect(load.stdout).toMatch(/KEV catalog 2026\.06\.01 \(was none\): 2 entries, 2 added, 0 removed, 0 changed/);
    expect(load.stdout).toMatch(/EPSS 2026-06-01: 1 scores, 1 stored/);
    expect((await cli(env, 'feeds', 'load', '--kev', path.join(dir, 'kev.json'), '--json')).json()).toMatchObject({
      kev: { changed: false },
    });
    expect((await cli(env, 'feeds', 'status', '--json')).json()).toMatchObject({
      kev: { catalogVersion: '2026.06.01', entries: 2 },
      epss: { latestScoreDate: '2026-06-01' },
    });
    expect((await cli(env, 'feeds', 'load')).code).toBe(2);
    expect((await cli(env, 'feeds', 'load', '--kev', path.join(dir, 'missing.json'))).code).toBe(2);
    const source = await cli(
      env,
      'feeds',
      'source',
      '--feed',
      'epss',
      '--url',
      'https://epss.cyentia.com/epss_scores-current.csv.gz',
      '--every-hours',
      '24',
      '--json',
    );
    expect(source.json()).toMatchObject({ enabled: true, everyHours: 24 });
  });
});
