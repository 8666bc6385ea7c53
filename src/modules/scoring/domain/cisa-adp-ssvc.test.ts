import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeWithData, sharedData } from '#test-support/shared-data.js';
import { readCisaAdpEnrichment } from './cisa-adp-ssvc.js';
import { parseKevCatalog } from './kev-catalog.js';
import { issuesOf } from '#test-support/rejection.js';

function record(metrics: unknown[], cveId = 'CVE-2024-0001'): unknown {
  return {
    dataType: 'CVE_RECORD',
    cveMetadata: { cveId, state: 'PUBLISHED' },
    containers: {
      cna: { providerMetadata: { orgId: 'x', shortName: 'acme' } },
      adp: [
        { providerMetadata: { orgId: 'y', shortName: 'CVE' } },
        { providerMetadata: { orgId: 'z', shortName: 'CISA-ADP', dateUpdated: '2024-09-18T18:08:56.835Z' }, metrics },
      ],
    },
  };
}

const ssvc = (options: Record<string, string>[], id = 'CVE-2024-0001') => ({
  other: { type: 'ssvc', content: { id, role: 'CISA Coordinator', options, version: '2.0.3', timestamp: '2024-09-18T18:07:57.773732Z' } },
});
const OPTIONS: Record<string, string>[] = [{ Exploitation: 'poc' }, { Automatable: 'Yes' }, { 'Technical Impact': 'total' }];

const issuesOfRecord = (doc: unknown) => issuesOf(() => readCisaAdpEnrichment(doc));

describe('readCisaAdpEnrichment', () => {
  it('reads the SSVC options, whatever their case, and the KEV mark', () => {
    const kev = { other: { type: 'kev', content: { dateAdded: '2024-09-18', reference: 'https://www.cisa.gov/kev' } } };
    expect(readCisaAdpEnrichment(record([{ cvssV3_1: {} }, ssvc(OPTIONS), kev]))).toEqual({
      cveId: 'CVE-2024-0001',
      dateUpdated: '2024-09-18T18:08:56.835Z',
      ssvc: {
        cveId: 'CVE-2024-0001',
        role: 'CISA Coordinator',
        version: '2.0.3',
        timestamp: '2024-09-18T18:07:57.773732Z',
        exploitation: 'poc',
        automatable: 'yes',
        technicalImpact: 'total',
        pointer: '/containers/adp/1/metrics/1/other',
      },
      kev: { dateAdded: '2024-09-18', reference: 'https://www.cisa.gov/kev', pointer: '/containers/adp/1/metrics/2/other' },
    });
  });

  it('is null without a CISA-ADP container, and has null parts when it carries no SSVC or KEV metric', () => {
    expect(readCisaAdpEnrichment({ cveMetadata: { cveId: 'CVE-2024-0001' }, containers: { cna: {} } })).toBeNull();
    expect(readCisaAdpEnrichment(record([]))).toMatchObject({ ssvc: null, kev: null });
  });

  it('rejects a value outside the decision point, naming the option', () => {
    expect(issuesOfRecord(record([ssvc([{ Exploitation: 'exploited' }, { Automatable: 'no' }, { 'Technical Impact': 'total' }])]))).toEqual(
      [
        {
          pointer: '/containers/adp/1/metrics/0/other/content/options/0/Exploitation',
          detail: '"exploited" is not one of none, poc, active',
        },
      ],
    );
  });

  it('rejects a missing decision point, an assessment of another CVE, and a record without a CVE id', () => {
    expect(issuesOfRecord(record([ssvc([{ Exploitation: 'none' }, { Automatable: 'no' }])]))).toEqual([
      { pointer: '/containers/adp/1/metrics/0/other/content/options', detail: 'has no Technical Impact' },
    ]);
    expect(issuesOfRecord(record([ssvc(OPTIONS, 'CVE-2024-9999')]))).toEqual([
      { pointer: '/containers/adp/1/metrics/0/other/content/id', detail: 'is CVE-2024-9999, but the record is CVE-2024-0001' },
    ]);
    expect(issuesOfRecord({ containers: {} })).toEqual([{ pointer: '/cveMetadata/cveId', detail: 'is required' }]);
  });
});

describeWithData('readCisaAdpEnrichment on real vulnrichment records', 'cve/records', () => {
  const selection = () =>
    readFileSync(sharedData('cve/records/SELECTION.tsv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => {
        const [group = '', cveId = '', path = ''] = line.split('\t');
        return { group, cveId, path };
      });
  const load = (path: string): unknown => JSON.parse(readFileSync(sharedData('cve/records', path), 'utf8'));

  it('reads the SSVC enrichment of all 500 records', () => {
    const rows = selection();
    expect(rows).toHaveLength(500);
    for (const { cveId, path } of rows) {
      const enrichment = readCisaAdpEnrichment(load(path));
      expect(enrichment?.cveId).toBe(cveId);
      expect(enrichment?.ssvc).toMatchObject({ cveId, role: 'CISA Coordinator', version: '2.0.3' });
    }
  });

  it('reads the values as written in a record (CVE-2019-1069: active, no, total)', () => {
    const path = selection().find((r) => r.cveId === 'CVE-2019-1069')?.path ?? '';
    expect(readCisaAdpEnrichment(load(path))?.ssvc).toMatchObject({ exploitation: 'active', automatable: 'no', technicalImpact: 'total' });
  });

  describeWithData('and the KEV catalog', 'kev', () => {
    it('every CVE that CISA-ADP marks as in KEV is in the KEV catalog', () => {
      const listed = new Set(
        parseKevCatalog(readFileSync(sharedData('kev', 'known_exploited_vulnerabilities.json'))).entries.map((e) => e.cveId),
      );
      const marked = selection().flatMap(({ cveId, path }) => (readCisaAdpEnrichment(load(path))?.kev ? [cveId] : []));
      expect(marked.length).toBeGreaterThan(100);
      expect(marked.filter((id) => !listed.has(id))).toEqual([]);
    });
  });
});
