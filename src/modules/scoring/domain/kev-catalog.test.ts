import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PayloadTooLargeError } from '../../../platform/errors.js';
import { describeWithData, sharedData } from '#test-support/shared-data.js';
import { parseKevCatalog } from './kev-catalog.js';
import { csvRecords } from './test-support/csv-records.js';
import { issuesOf } from '#test-support/rejection.js';

type Doc = { catalogVersion?: unknown; dateReleased?: unknown; count?: unknown; vulnerabilities: Record<string, unknown>[] };

function entry(cveID: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    cveID,
    vendorProject: 'Acme',
    product: 'Widget',
    vulnerabilityName: 'Acme Widget RCE',
    dateAdded: '2026-06-01',
    shortDescription: 'A bug.',
    requiredAction: 'Patch.',
    dueDate: '2026-06-22',
    ...extra,
  };
}

function doc(vulnerabilities: Record<string, unknown>[], extra: Partial<Doc> = {}): Doc {
  return {
    catalogVersion: '2026.06.02',
    dateReleased: '2026-06-02T12:00:00.000Z',
    count: vulnerabilities.length,
    vulnerabilities,
    ...extra,
  };
}

const issuesOfInput = (input: string | Uint8Array) => issuesOf(() => parseKevCatalog(input));

const issuesOfDoc = (d: Doc) => issuesOfInput(JSON.stringify(d));

describe('parseKevCatalog', () => {
  it('keeps each entry with its catalog release', () => {
    const parsed = parseKevCatalog(
      JSON.stringify(doc([entry('CVE-2026-0001', { knownRansomwareCampaignUse: 'Known' }), entry('CVE-2026-0002')])),
    );
    expect(parsed.catalogVersion).toBe('2026.06.02');
    expect(parsed.entries).toEqual([
      {
        cveId: 'CVE-2026-0001',
        vendorProject: 'Acme',
        product: 'Widget',
        vulnerabilityName: 'Acme Widget RCE',
        dateAdded: '2026-06-01',
        dueDate: '2026-06-22',
        knownRansomwareCampaignUse: 'known',
        catalogVersion: '2026.06.02',
        dateReleased: '2026-06-02T12:00:00.000Z',
      },
      expect.objectContaining({ cveId: 'CVE-2026-0002', knownRansomwareCampaignUse: 'unknown' }),
    ]);
  });

  it('reads bytes, gzip and a byte-order mark', () => {
    const text = JSON.stringify(doc([entry('CVE-2026-0001')]));
    expect(parseKevCatalog(new TextEncoder().encode(text)).entries).toHaveLength(1);
    expect(parseKevCatalog(gzipSync(text)).entries).toHaveLength(1);
    expect(parseKevCatalog(`\uFEFF${text}`).entries).toHaveLength(1);
  });

  it('rejects schema violations naming the field', () => {
    expect(issuesOfDoc(doc([entry('CVE-2026-0001', { dueDate: '2026-02-30' })]))).toEqual([
      { pointer: '/vulnerabilities/0/dueDate', detail: 'must match format "date"' },
    ]);
    const { dueDate: _dropped, ...noDue } = entry('CVE-2026-0001');
    expect(issuesOfDoc(doc([noDue]))).toEqual([{ pointer: '/vulnerabilities/0/dueDate', detail: 'is required' }]);
    expect(issuesOfDoc(doc([entry('CVE-26-1')]))[0]?.pointer).toBe('/vulnerabilities/0/cveID');
    expect(issuesOfDoc(doc([entry('CVE-2026-0001')], { catalogVersion: undefined }))).toEqual([
      { pointer: '/catalogVersion', detail: 'is required' },
    ]);
    expect(issuesOfDoc(doc([entry('CVE-2026-0001')], { dateReleased: 'yesterday' }))).toEqual([
      { pointer: '/dateReleased', detail: 'must match format "date-time"' },
    ]);
  });

  it('rejects a count that disagrees, a repeated CVE and an unknown ransomware word', () => {
    expect(issuesOfDoc(doc([entry('CVE-2026-0001')], { count: 2 }))).toEqual([
      { pointer: '/count', detail: 'says 2 but the catalog lists 1 vulnerabilities' },
    ]);
    expect(issuesOfDoc(doc([entry('CVE-2026-0001'), entry('CVE-2026-0001')]))).toEqual([
      { pointer: '/vulnerabilities/1/cveID', detail: 'repeats CVE-2026-0001 (first at /vulnerabilities/0)' },
    ]);
    expect(issuesOfDoc(doc([entry('CVE-2026-0001', { knownRansomwareCampaignUse: 'Maybe' })]))).toEqual([
      { pointer: '/vulnerabilities/0/knownRansomwareCampaignUse', detail: "must be Known or Unknown, not 'Maybe'" },
    ]);
  });

  it('rejects what is not a JSON catalog', () => {
    expect(issuesOfInput('{"catalogVersion":')[0]?.detail).toMatch(/^unreadable as JSON \(/);
    expect(issuesOfInput(new Uint8Array([0x1f, 0x8b, 1, 2, 3]))[0]?.detail).toMatch(/^gzip:/);
    expect(issuesOfInput(new Uint8Array([0x7b, 0xff, 0x7d]))).toEqual([{ pointer: '', detail: 'is not valid UTF-8' }]);
    expect(issuesOfInput('[]')[0]?.detail).toBe('must be object');
    // CISA's CSV edition (header as published) is refused with what to load instead, not as broken JSON.
    const csv = issuesOfInput('cveID,vendorProject,product,vulnerabilityName,dateAdded\r\nCVE-2021-44228,Apache,Log4j2,x,2021-12-10\r\n');
    expect(csv).toHaveLength(1);
    expect(csv[0]?.detail).toContain('JSON edition (known_exploited_vulnerabilities.json)');
  });

  it('refuses input, or what it inflates to, beyond the size limit', () => {
    expect(() => parseKevCatalog('x'.repeat(101), { maxBytes: 100 })).toThrow(PayloadTooLargeError);
    const bomb = gzipSync(' '.repeat(100_000));
    expect(bomb.byteLength).toBeLessThan(1000);
    expect(() => parseKevCatalog(bomb, { maxBytes: 1000 })).toThrow(PayloadTooLargeError);
  });
});

describeWithData('parseKevCatalog on the real CISA catalog', 'kev', () => {
  const raw = () => readFileSync(sharedData('kev', 'known_exploited_vulnerabilities.json'));
  const rawDoc = () => JSON.parse(raw().toString('utf8')) as Doc;

  it('parses and validates all 1,404 entries of release 2025.08.25', () => {
    const catalog = parseKevCatalog(raw());
    expect(catalog.entries).toHaveLength(1404);
    expect(catalog.catalogVersion).toBe('2025.08.25');
    expect(catalog.dateReleased).toBe('2025-08-25T17:04:19.9796Z');
    expect(catalog.entries.map((e) => e.cveId)).toEqual(rawDoc().vulnerabilities.map((v) => v.cveID));
  });

  it('refuses the published CSV edition, naming the JSON edition to load', () => {
    expect(() => parseKevCatalog(readFileSync(sharedData('kev', 'known_exploited_vulnerabilities.csv')))).toThrow(
      /^the KEV catalog is the CSV edition: load CISA's JSON edition/,
    );
  });

  it('agrees with the CSV edition of the same release, entry by entry', () => {
    const [header = [], ...rows] = csvRecords(readFileSync(sharedData('kev', 'known_exploited_vulnerabilities.csv'), 'utf8'));
    const col = (name: string) => header.indexOf(name);
    const fromCsv = rows.map((r) => ({
      cveId: r[col('cveID')],
      vendorProject: r[col('vendorProject')],
      product: r[col('product')],
      dateAdded: r[col('dateAdded')],
      dueDate: r[col('dueDate')],
      knownRansomwareCampaignUse: r[col('knownRansomwareCampaignUse')]?.toLowerCase(),
    }));
    const parsed = parseKevCatalog(raw()).entries.map(
      ({ cveId, vendorProject, product, dateAdded, dueDate, knownRansomwareCampaignUse }) => ({
        cveId,
        vendorProject,
        product,
        dateAdded,
        dueDate,
        knownRansomwareCampaignUse,
      }),
    );
    expect(parsed).toEqual(fromCsv);
    expect(parsed.filter((e) => e.knownRansomwareCampaignUse === 'known').length).toBeGreaterThan(0);
  });

  it('rejects the real catalog with one bad field, naming it', () => {
    const broken = rawDoc();
    const target = broken.vulnerabilities[17] as Record<string, unknown>;
    target['dueDate'] = '2025-02-30';
    expect(issuesOfDoc(broken)).toEqual([{ pointer: '/vulnerabilities/17/dueDate', detail: 'must match format "date"' }]);
  });

  it('rejects the real catalog cut short (count no longer matches)', () => {
    const truncated = rawDoc();
    truncated.vulnerabilities = truncated.vulnerabilities.slice(0, 1000);
    expect(issuesOfDoc(truncated)).toEqual([{ pointer: '/count', detail: 'says 1404 but the catalog lists 1000 vulnerabilities' }]);
  });
});
