import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseEpssFeed } from './epss-feed.js';

describe('parseEpssFeed', () => {
  const csv = '#model_version:v2023.03.01,score_date:2023-03-01T00:00:00+0000\ncve,epss,percentile\nCVE-2021-44228,0.97565,0.99996\n';

  it('reads the daily CSV, plain or gzip', () => {
    for (const input of [csv, gzipSync(csv)]) {
      expect(parseEpssFeed(input)).toEqual({
        format: 'csv',
        modelVersion: 'v2023.03.01',
        scoreDates: ['2023-03-01'],
        scores: [{ cveId: 'CVE-2021-44228', epss: 0.97565, percentile: 0.99996, date: '2023-03-01' }],
      });
    }
  });

  it('reads an API response with a time series, listing every day', () => {
    const api = {
      status: 'OK',
      data: [
        {
          cve: 'CVE-2021-44228',
          epss: '0.9',
          percentile: '0.99',
          date: '2023-03-02',
          'time-series': [{ epss: '0.8', percentile: '0.98', date: '2023-03-01' }],
        },
      ],
    };
    const feed = parseEpssFeed(` ${JSON.stringify(api)}`);
    expect(feed.format).toBe('api');
    expect(feed.scoreDates).toEqual(['2023-03-01', '2023-03-02']);
    expect(feed.scores).toHaveLength(2);
  });
});
