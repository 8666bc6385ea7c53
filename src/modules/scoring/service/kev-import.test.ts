import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { describeWithData, sharedData } from '#test-support/shared-data.js';
import { ConflictError, InputError, NotAllowedError } from '../../../platform/errors.js';
import { getFeedStatus, listFeedImports } from './feed-status.js';
import { importKevCatalog } from './kev-import.js';
import { auditActions, countRows, eventsOfType } from '../test-support/records.js';
import { kevCatalogJson, kevDocument } from '../test-support/feeds.js';

interface KevChanged {
  catalogVersion: string;
  added: string[];
  removed: string[];
  changed: string[];
}

describeEachDatabase('KEV import', (dialect) => {
  const get = useTestRuntime(dialect);

  it('applies exactly the difference between catalogs, and records it', async () => {
    const { system, runtime } = get();
    const first = kevCatalogJson('2026.06.01', '2026-06-01T12:00:00.000Z', [{ cveID: 'CVE-2026-0001' }, { cveID: 'CVE-2026-0002' }]);
    await importKevCatalog(system, { data: first, source: 'first.json' });
    const second = kevCatalogJson('2026.06.02', '2026-06-02T12:00:00.000Z', [
      { cveID: 'CVE-2026-0001', dueDate: '2026-05-29' },
      { cveID: 'CVE-2026-0003', knownRansomwareCampaignUse: 'Known' },
    ]);
    const result = await importKevCatalog(system, { data: second, source: 'second.json' });
    expect(result.import).toMatchObject({
      previousCatalogVersion: '2026.06.01',
      added: ['CVE-2026-0003'],
      removed: ['CVE-2026-0002'],
      changed: [{ cveId: 'CVE-2026-0001', fields: ['dueDate'] }],
    });
    const events = await eventsOfType<KevChanged>(runtime.db, 'scoring.kev.changed');
    expect(events.map((e) => e.payload)).toEqual([
      expect.objectContaining({ catalogVersion: '2026.06.01', added: ['CVE-2026-0001', 'CVE-2026-0002'], removed: [] }),
      expect.objectContaining({
        catalogVersion: '2026.06.02',
        added: ['CVE-2026-0003'],
        removed: ['CVE-2026-0002'],
        changed: ['CVE-2026-0001'],
      }),
    ]);
    // A withdrawn entry is kept, marked; it comes back if CISA lists it again.
    const removed = await runtime.db.kysely
      .selectFrom('scoring_kev_entry')
      .selectAll()
      .where('cve_id', '=', 'CVE-2026-0002')
      .executeTakeFirstOrThrow();
    expect(removed).toMatchObject({ removed_in_catalog: '2026.06.02' });
    const third = kevCatalogJson('2026.06.03', '2026-06-03T12:00:00.000Z', [
      { cveID: 'CVE-2026-0001', dueDate: '2026-05-29' },
      { cveID: 'CVE-2026-0002' },
      { cveID: 'CVE-2026-0003', knownRansomwareCampaignUse: 'Known' },
    ]);
    expect((await importKevCatalog(system, { data: third, source: 'third.json' })).import?.added).toEqual(['CVE-2026-0002']);
    expect((await getFeedStatus(system)).kev).toMatchObject({ catalogVersion: '2026.06.03', entries: 3 });
    expect((await listFeedImports(system, 'kev', {})).items.map((i) => 'catalogVersion' in i && i.catalogVersion)).toEqual([
      '2026.06.03',
      '2026.06.02',
      '2026.06.01',
    ]);
    expect((await auditActions(runtime.db)).map((a) => a.action)).toEqual([
      'scoring.kev.import',
      'scoring.kev.import',
      'scoring.kev.import',
    ]);
  });

  it('refuses an older catalog unless told, and bad catalogs naming the field', async () => {
    const { system } = get();
    await importKevCatalog(system, {
      data: kevCatalogJson('2026.06.02', '2026-06-02T12:00:00.000Z', [{ cveID: 'CVE-2026-0001' }]),
      source: 'new.json',
    });
    const older = kevCatalogJson('2026.06.01', '2026-06-01T12:00:00.000Z', []);
    await expect(importKevCatalog(system, { data: older, source: 'old.json' })).rejects.toMatchObject({ code: 'kev-catalog-older' });
    await expect(importKevCatalog(system, { data: older, source: 'old.json' })).rejects.toBeInstanceOf(ConflictError);
    expect((await importKevCatalog(system, { data: older, source: 'old.json', allowOlder: true })).import?.removed).toEqual([
      'CVE-2026-0001',
    ]);
    const bad = kevDocument(kevCatalogJson('2026.06.03', '2026-06-03T12:00:00.000Z', [{ cveID: 'CVE-2026-0001', dueDate: 'soon' }]));
    await expect(importKevCatalog(system, { data: JSON.stringify(bad), source: 'bad.json' })).rejects.toMatchObject({
      issues: [{ pointer: '/vulnerabilities/0/dueDate' }],
    });
    await expect(importKevCatalog(system, { data: '{', source: 'bad.json' })).rejects.toBeInstanceOf(InputError);
  });

  it('is for coordinator admins', async () => {
    const { as, org, coordinatorAdmin, user } = get();
    const data = kevCatalogJson('2026.06.01', '2026-06-01T12:00:00.000Z', []);
    await expect(importKevCatalog(as(await org('operator')), { data, source: 'x' })).rejects.toBeInstanceOf(NotAllowedError);
    await expect(importKevCatalog(as(await user(coordinatorAdmin.orgId, 'analyst')), { data, source: 'x' })).rejects.toBeInstanceOf(
      NotAllowedError,
    );
    expect((await importKevCatalog(as(coordinatorAdmin), { data, source: 'x' })).changed).toBe(true);
  });

  describeWithData('the real catalog', 'kev', () => {
    const real = () => readFileSync(sharedData('kev/known_exploited_vulnerabilities.json'));

    it('imports all 1,404 entries; importing it again is a no-op; one entry removed and one added records exactly that', async () => {
      const { system, runtime } = get();
      const first = await importKevCatalog(system, { data: real(), source: 'known_exploited_vulnerabilities.json' });
      expect(first.import).toMatchObject({ catalogVersion: '2025.08.25', entries: 1404, removed: [], changed: [] });
      expect(first.import?.added).toHaveLength(1404);
      expect(await countRows(runtime.db, 'scoring_kev_entry')).toBe(1404);
      const log4shell = await runtime.db.kysely
        .selectFrom('scoring_kev_entry')
        .selectAll()
        .where('cve_id', '=', 'CVE-2021-44228')
        .executeTakeFirstOrThrow();
      expect(log4shell).toMatchObject({
        date_added: '2021-12-10',
        due_date: '2021-12-24',
        known_ransomware_campaign_use: 'known',
        catalog_version: '2025.08.25',
      });

      const audits = (await auditActions(runtime.db)).length;
      const again = await importKevCatalog(system, { data: real(), source: 'again.json' });
      expect(again).toMatchObject({ changed: false, import: null, entries: 1404 });
      expect(await countRows(runtime.db, 'scoring_kev_import')).toBe(1);
      expect((await auditActions(runtime.db)).length).toBe(audits);
      expect(await eventsOfType(runtime.db, 'scoring.kev.changed')).toHaveLength(1);

      const doc = kevDocument(real().toString('utf8'));
      const dropped = doc.vulnerabilities[0]?.['cveID'];
      const next = {
        ...doc,
        catalogVersion: '2025.08.26',
        dateReleased: '2025-08-26T17:00:00.000Z',
        vulnerabilities: [...doc.vulnerabilities.slice(1), { ...doc.vulnerabilities[1], cveID: 'CVE-2025-99999', dateAdded: '2025-08-26' }],
      };
      const changed = await importKevCatalog(system, {
        data: JSON.stringify({ ...next, count: next.vulnerabilities.length }),
        source: 'next.json',
      });
      expect(changed.import).toMatchObject({
        added: ['CVE-2025-99999'],
        removed: [dropped],
        changed: [],
        entries: 1404,
        previousCatalogVersion: '2025.08.25',
      });
      const events = await eventsOfType<KevChanged>(runtime.db, 'scoring.kev.changed');
      expect(events[1]?.payload).toMatchObject({
        catalogVersion: '2025.08.26',
        added: ['CVE-2025-99999'],
        removed: [dropped],
        changed: [],
      });
    });
  });
});
