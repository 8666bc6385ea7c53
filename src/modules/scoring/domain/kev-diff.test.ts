import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeWithData, sharedData } from '#test-support/shared-data.js';
import type { KevCatalog, KevEntry } from './kev-catalog.js';
import { parseKevCatalog } from './kev-catalog.js';
import { diffKevCatalogs } from './kev-diff.js';

function kev(catalogVersion: string, dateReleased: string, entries: Partial<KevEntry>[]): KevCatalog {
  return {
    catalogVersion,
    dateReleased,
    entries: entries.map((e) => ({
      cveId: 'CVE-2026-0000',
      vendorProject: 'Acme',
      product: 'Widget',
      vulnerabilityName: 'RCE',
      dateAdded: '2026-06-01',
      dueDate: '2026-06-22',
      knownRansomwareCampaignUse: 'unknown',
      catalogVersion,
      dateReleased,
      ...e,
    })),
  };
}

const MONDAY = kev('2026.06.01', '2026-06-01T17:00:00Z', [
  { cveId: 'CVE-2026-0003' },
  { cveId: 'CVE-2026-0001' },
  { cveId: 'CVE-2026-0002' },
]);

describe('diffKevCatalogs', () => {
  it('a first import adds everything, sorted by CVE', () => {
    const diff = diffKevCatalogs(null, MONDAY);
    expect(diff.from).toBeNull();
    expect(diff.added.map((e) => e.cveId)).toEqual(['CVE-2026-0001', 'CVE-2026-0002', 'CVE-2026-0003']);
    expect([diff.removed, diff.changed, diff.unchanged]).toEqual([[], [], 0]);
  });

  it('importing the same catalog again changes nothing', () => {
    const diff = diffKevCatalogs(MONDAY, MONDAY);
    expect([diff.added, diff.removed, diff.changed, diff.unchanged]).toEqual([[], [], [], 3]);
  });

  it("a new release's own version and date alone are no change", () => {
    const tuesday = kev(
      '2026.06.02',
      '2026-06-02T17:00:00Z',
      MONDAY.entries.map((e) => ({ cveId: e.cveId })),
    );
    const diff = diffKevCatalogs(MONDAY, tuesday);
    expect(diff.changed).toEqual([]);
    expect(diff.unchanged).toBe(3);
    expect(diff.to).toEqual({ catalogVersion: '2026.06.02', dateReleased: '2026-06-02T17:00:00Z' });
    expect(diff.olderThanPrevious).toBe(false);
  });

  it('reports additions, removals and changed fields', () => {
    const tuesday = kev('2026.06.02', '2026-06-02T17:00:00Z', [
      { cveId: 'CVE-2026-0001' },
      { cveId: 'CVE-2026-0003', dueDate: '2026-06-15', knownRansomwareCampaignUse: 'known' },
      { cveId: 'CVE-2026-0009' },
    ]);
    const diff = diffKevCatalogs(MONDAY, tuesday);
    expect(diff.added.map((e) => e.cveId)).toEqual(['CVE-2026-0009']);
    expect(diff.removed.map((e) => e.cveId)).toEqual(['CVE-2026-0002']);
    expect(diff.changed.map((c) => [c.cveId, c.fields, c.before.dueDate, c.after.dueDate])).toEqual([
      ['CVE-2026-0003', ['dueDate', 'knownRansomwareCampaignUse'], '2026-06-22', '2026-06-15'],
    ]);
    expect(diff.unchanged).toBe(1);
  });

  it('flags a catalog released before the one held', () => {
    expect(diffKevCatalogs(MONDAY, kev('2026.05.31', '2026-05-31T17:00:00Z', [])).olderThanPrevious).toBe(true);
  });
});

describeWithData('diffKevCatalogs on the real catalog', 'kev', () => {
  const real = () => parseKevCatalog(readFileSync(sharedData('kev', 'known_exploited_vulnerabilities.json')));

  it('re-importing the real catalog is a no-op', () => {
    const catalog = real();
    const diff = diffKevCatalogs(catalog, real());
    expect([diff.added.length, diff.removed.length, diff.changed.length, diff.unchanged]).toEqual([0, 0, 0, 1404]);
  });

  it('the entries added on 2025-08-25 show up as additions over a catalog without them', () => {
    const catalog = real();
    const before: KevCatalog = { ...catalog, entries: catalog.entries.filter((e) => e.dateAdded !== '2025-08-25') };
    const diff = diffKevCatalogs(before, catalog);
    const addedThatDay = catalog.entries
      .filter((e) => e.dateAdded === '2025-08-25')
      .map((e) => e.cveId)
      .sort();
    expect(addedThatDay.length).toBeGreaterThan(0);
    expect(diff.added.map((e) => e.cveId)).toEqual(addedThatDay);
    expect(diff.unchanged).toBe(1404 - addedThatDay.length);
  });
});
