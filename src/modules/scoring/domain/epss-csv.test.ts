import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PayloadTooLargeError } from '../../../platform/errors.js';
import { parseEpssCsv } from './epss-csv.js';
import { parseScoreDate } from './epss-score.js';
import { issuesOf } from '#test-support/rejection.js';

// Small fixtures in the shapes FIRST publishes (https://epss.cyentia.com/epss_scores-YYYY-MM-DD.csv.gz).
const WITH_TIME = [
  '#model_version:v2023.03.01,score_date:2023-03-01T00:00:00+0000',
  'cve,epss,percentile',
  'CVE-1999-0001,0.01167,0.83420',
  'CVE-2022-27225,0.00043,0.08220',
  'CVE-2021-44228,0.97565,0.99996',
  '',
].join('\n');
const PLAIN_DATE = '#model_version:v2025.03.14,score_date:2025-08-25\r\ncve,epss,percentile\r\nCVE-2025-48384,0.00105,0.29655\r\n';

const issuesOfCsv = (text: string, options: Parameters<typeof parseEpssCsv>[1] = {}) => issuesOf(() => parseEpssCsv(text, options));

const body = (...rows: string[]) => ['#model_version:v2023.03.01,score_date:2023-03-01', 'cve,epss,percentile', ...rows].join('\n');

describe('parseEpssCsv', () => {
  it('reads the model version, the score date with time and offset, and every row', () => {
    const day = parseEpssCsv(WITH_TIME);
    expect(day.modelVersion).toBe('v2023.03.01');
    expect(day.scoreDate).toBe('2023-03-01');
    expect(day.scores).toEqual([
      { cveId: 'CVE-1999-0001', epss: 0.01167, percentile: 0.8342, date: '2023-03-01' },
      { cveId: 'CVE-2022-27225', epss: 0.00043, percentile: 0.0822, date: '2023-03-01' },
      { cveId: 'CVE-2021-44228', epss: 0.97565, percentile: 0.99996, date: '2023-03-01' },
    ]);
  });

  it('reads a plain YYYY-MM-DD score date and CRLF line ends', () => {
    const day = parseEpssCsv(PLAIN_DATE);
    expect([day.modelVersion, day.scoreDate, day.scores.length]).toEqual(['v2025.03.14', '2025-08-25', 1]);
  });

  it('reads gzip bytes, as the .csv.gz files come', () => {
    expect(parseEpssCsv(gzipSync(WITH_TIME)).scores).toHaveLength(3);
  });

  it('takes the score date from the options for a file without the leading line', () => {
    const day = parseEpssCsv('cve,epss,percentile\nCVE-2021-44228,0.9,0.99\n', { scoreDate: '2021-12-20' });
    expect([day.modelVersion, day.scoreDate, day.scores[0]?.date]).toEqual([null, '2021-12-20', '2021-12-20']);
    expect(issuesOfCsv('cve,epss,percentile\nCVE-2021-44228,0.9,0.99\n')).toEqual([
      { pointer: '/1', detail: 'line 1: there is no "#model_version:…,score_date:…" line, and no score date was given' },
    ]);
  });

  it('rejects a bad row naming its line and column', () => {
    expect(issuesOfCsv(body('CVE-2023-0001,0.1,0.5', 'CVE-2023-0002,1.5,0.5'))).toEqual([
      { pointer: '/4/epss', detail: 'line 4, column 2 (epss): "1.5" is not a number from 0 to 1' },
    ]);
    expect(issuesOfCsv(body('CVE-23-1,0.1,0.5'))).toEqual([
      { pointer: '/3/cve', detail: 'line 3, column 1 (cve): "CVE-23-1" is not a CVE id' },
    ]);
    expect(issuesOfCsv(body('CVE-2023-0001,0.1,high'))).toEqual([
      { pointer: '/3/percentile', detail: 'line 3, column 3 (percentile): "high" is not a number from 0 to 1' },
    ]);
    expect(issuesOfCsv(body('CVE-2023-0001,0.1'))).toEqual([
      { pointer: '/3', detail: 'line 3: has 2 fields, wants 3 (cve,epss,percentile)' },
    ]);
    expect(issuesOfCsv(body('CVE-2023-0001,-0.1,0.5'))[0]?.pointer).toBe('/3/epss');
    expect(issuesOfCsv(body('CVE-2023-0001,,0.5'))[0]?.pointer).toBe('/3/epss');
  });

  it('rejects a CVE given twice', () => {
    expect(issuesOfCsv(body('CVE-2023-0001,0.1,0.5', '', 'CVE-2023-0001,0.2,0.6'))).toEqual([
      { pointer: '/5/cve', detail: 'line 5, column 1 (cve): repeats CVE-2023-0001 (first on line 3)' },
    ]);
  });

  it('rejects a wrong header, a bad score date and a file without rows', () => {
    expect(issuesOfCsv('#model_version:v1,score_date:2023-03-01\ncve;epss;percentile\n')).toEqual([
      { pointer: '/2', detail: 'line 2: the header must be "cve,epss,percentile", not "cve;epss;percentile"' },
    ]);
    expect(issuesOfCsv(body('CVE-2023-0001,0.1,0.5').replace('2023-03-01', '2023-02-30'))).toEqual([
      { pointer: '/1/score_date', detail: 'line 1: score_date "2023-02-30" is not a date' },
    ]);
    expect(issuesOfCsv(body())).toEqual([{ pointer: '/3', detail: 'the file has a header but no scores' }]);
    expect(issuesOfCsv('#model_version:v1,score_date:2023-03-01\n')).toEqual([
      { pointer: '/2', detail: 'line 2: the header must be "cve,epss,percentile", not ""' },
    ]);
    expect(issuesOfCsv('')[0]?.pointer).toBe('/1');
  });

  it('stops listing after twenty issues', () => {
    const rows = Array.from({ length: 500 }, (_, i) => `CVE-2023-${String(i).padStart(4, '0')},x,0.5`);
    expect(issuesOfCsv(body(...rows))).toHaveLength(20);
  });

  it('refuses a file beyond the size limit', () => {
    expect(() => parseEpssCsv(WITH_TIME, { maxBytes: 50 })).toThrow(PayloadTooLargeError);
  });
});

describe('parseScoreDate', () => {
  it('accepts both published forms and refuses impossible dates', () => {
    expect(['2023-03-01T00:00:00+0000', '2023-03-01', '2024-02-29T00:00:00Z', '2023-03-01T00:00:00.000+00:00'].map(parseScoreDate)).toEqual(
      ['2023-03-01', '2023-03-01', '2024-02-29', '2023-03-01'],
    );
    expect(['2023-02-29', '2023-13-01', '01/03/2023', '2023-3-1', ''].map(parseScoreDate)).toEqual([null, null, null, null, null]);
  });
});
