import type { TestRuntime, TestUser } from '#test-support/runtime.js';
import { upsertAdvisory, uploadSbom } from '../../inventory/index.js';
import { importEpssScores } from '../service/epss-import.js';
import { importKevCatalog } from '../service/kev-import.js';
import { epssCsv, kevCatalogJson } from './feeds.js';

// Expected decisions read off CERT/CC's SSVC deployer tables with the default policy (default-1), as in
// deployer-priorities.test.ts: an internet-facing high-criticality energy asset with a KEV-listed
// vulnerability is Immediate (1 day), an internal low-criticality water asset Out-of-Cycle (7 days), and the
// energy asset with no evidence of exploitation Scheduled (30 days). The clock stands at 2026-06-02T12:00Z.
const osv = (n: number, name: string, events: Record<string, string>[], summary: string) => ({
  id: `PYSEC-${n}`,
  modified: '2026-01-01T00:00:00Z',
  aliases: [`CVE-2026-000${n}`],
  summary,
  affected: [{ package: { ecosystem: 'PyPI', name }, ranges: [{ type: 'ECOSYSTEM', events }] }],
});
const django = osv(1, 'django', [{ introduced: '3.0' }, { fixed: '3.2.1' }], 'Django SQL injection');
const requests = osv(2, 'requests', [{ introduced: '0' }, { fixed: '2.31.0' }], 'requests leaks');
const hidden = osv(3, 'django', [{ introduced: '0' }], 'a RED advisory');

/** A CycloneDX 1.5 SBOM of PyPI packages (name@version). */
const sbom = (...packages: string[]) =>
  Buffer.from(
    JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      version: 1,
      components: packages.map((p) => ({ type: 'library', name: p.split('@')[0], version: p.split('@')[1], purl: `pkg:pypi/${p}` })),
    }),
  );

/** Two operators' inventories, KEV and EPSS, for the priorities tests. */
export async function seedPriorities({ system, as, org }: TestRuntime): Promise<{ a: TestUser; b: TestUser }> {
  await upsertAdvisory(system, django, { source: 'test', tlp: 'CLEAR' });
  await upsertAdvisory(system, requests, { source: 'test', tlp: 'CLEAR' });
  await upsertAdvisory(system, hidden, { source: 'test', tlp: 'RED' });
  await importKevCatalog(system, {
    data: kevCatalogJson('2026.06.01', '2026-06-01T12:00:00.000Z', [{ cveID: 'CVE-2026-0002' }]),
    source: 'kev',
  });
  await importEpssScores(system, { data: epssCsv('2026-06-01', [['CVE-2026-0001', 0.5, 0.97]]), source: 'epss' });
  const a = await org('operator', { sectors: ['energy'] });
  const b = await org('operator', { sectors: ['energy'] });
  await uploadSbom(as(a), {
    asset: { name: 'Historian', criticality: 'high', internetFacing: true },
    bytes: sbom('Django@3.2.0', 'requests@2.30.0'),
  });
  await uploadSbom(as(a), {
    asset: { name: 'HMI', sector: 'water', criticality: 'low', internetFacing: false },
    bytes: sbom('requests@2.30.0'),
  });
  await uploadSbom(as(b), {
    asset: { name: 'Other operator turbine', criticality: 'high', internetFacing: true },
    bytes: sbom('Django@3.2.0'),
  });
  return { a, b };
}
