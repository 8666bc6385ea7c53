import { describe, expect, it } from 'vitest';
import { parseEpssApiResponse } from './epss-api.js';
import { issuesOf } from '#test-support/rejection.js';

// In the shape of https://api.first.org/data/v1/epss?cve=… responses.
const RESPONSE = {
  status: 'OK',
  'status-code': 200,
  version: '1.0',
  access: 'public',
  total: 2,
  offset: 0,
  limit: 100,
  data: [
    { cve: 'CVE-2022-27225', epss: '0.00043', percentile: '0.08220', date: '2023-03-01' },
    { cve: 'CVE-2021-44228', epss: '0.97565', percentile: '0.99996', date: '2023-03-01' },
  ],
};

const issuesOfDoc = (doc: unknown) => issuesOf(() => parseEpssApiResponse(JSON.stringify(doc)));

const withRow = (row: Record<string, unknown>) => ({ ...RESPONSE, data: [RESPONSE.data[0], row] });

describe('parseEpssApiResponse', () => {
  it('reads the page and its scores, given as strings', () => {
    expect(parseEpssApiResponse(JSON.stringify(RESPONSE))).toEqual({
      total: 2,
      offset: 0,
      limit: 100,
      scores: [
        { cveId: 'CVE-2022-27225', epss: 0.00043, percentile: 0.0822, date: '2023-03-01' },
        { cveId: 'CVE-2021-44228', epss: 0.97565, percentile: 0.99996, date: '2023-03-01' },
      ],
    });
  });

  it('accepts numbers too, and a minimal envelope', () => {
    const page = parseEpssApiResponse(
      JSON.stringify({ status: 'OK', data: [{ cve: 'CVE-2022-27225', epss: 0.5, percentile: 1, date: '2023-03-01' }] }),
    );
    expect(page).toEqual({
      total: null,
      offset: null,
      limit: null,
      scores: [{ cveId: 'CVE-2022-27225', epss: 0.5, percentile: 1, date: '2023-03-01' }],
    });
  });

  it('reads a time series into one score per date', () => {
    const series = {
      ...RESPONSE.data[0],
      'time-series': [
        { epss: '0.00041', percentile: '0.08000', date: '2023-02-28' },
        { epss: '0.00043', percentile: '0.08220', date: '2023-03-01' },
      ],
    };
    const page = parseEpssApiResponse(JSON.stringify({ ...RESPONSE, data: [series] }));
    expect(page.scores.map((s) => [s.date, s.epss])).toEqual([
      ['2023-03-01', 0.00043],
      ['2023-02-28', 0.00041],
    ]);
  });

  it('rejects bad fields naming them by pointer', () => {
    expect(issuesOfDoc(withRow({ cve: 'CVE-2021-44228', epss: '1.2', percentile: '0.9', date: '2023-03-01' }))).toEqual([
      { pointer: '/data/1/epss', detail: '"1.2" is not a number from 0 to 1' },
    ]);
    expect(issuesOfDoc(withRow({ cve: 'log4shell', epss: '0.1', percentile: '0.9', date: '2023-03-01' }))).toEqual([
      { pointer: '/data/1/cve', detail: '"log4shell" is not a CVE id' },
    ]);
    expect(issuesOfDoc(withRow({ cve: 'CVE-2021-44228', epss: '0.1', percentile: '0.9', date: '2023-02-30' }))).toEqual([
      { pointer: '/data/1/date', detail: "'2023-02-30' is not a date" },
    ]);
    expect(issuesOfDoc(withRow({ cve: 'CVE-2021-44228', epss: '0.1', date: '2023-03-01' }))).toEqual([
      { pointer: '/data/1/percentile', detail: 'is required' },
    ]);
    expect(issuesOfDoc(withRow({ cve: 'CVE-2021-44228', epss: true, percentile: '0.9', date: '2023-03-01' }))[0]?.pointer).toBe(
      '/data/1/epss',
    );
  });

  it('rejects an error answer, a missing data list and conflicting duplicates', () => {
    expect(issuesOfDoc({ status: 'error', 'status-code': 400, data: [] })).toEqual([
      { pointer: '/status', detail: "is 'error', not 'OK'" },
    ]);
    expect(issuesOfDoc({ status: 'OK' })).toEqual([{ pointer: '/data', detail: 'is required' }]);
    expect(issuesOfDoc(withRow({ ...RESPONSE.data[0], epss: '0.5' }))).toEqual([
      { pointer: '/data/1', detail: 'gives CVE-2022-27225 on 2023-03-01 a second, different score' },
    ]);
  });
});
