import type { TestRuntime, TestUser } from '#test-support/runtime.js';
import { uploadSbom, upsertAdvisory } from '../../inventory/index.js';
import { importKevCatalog } from '../../scoring/index.js';
import { kevCatalogJson } from '../../scoring/test-support/feeds.js';
import type { AdvisoryNoticeData } from '../domain/notification.js';
import { cycloneDx, osvRecord, pypi } from '../../inventory/test-support/fixtures.js';
import { listInbox } from '../service/inbox.js';

export const ADVISORY = 'PYSEC-2026-7';

/** A water operator with two assets (pumps, scada) and an energy operator with one (grid), all notified of {@link ADVISORY}. */
export async function notified(rt: TestRuntime): Promise<{ water: TestUser; energy: TestUser; link: (who: TestUser) => Promise<string> }> {
  // Listed in KEV: Exploitation active, so that the assets' deployer decisions differ.
  await importKevCatalog(rt.system, {
    data: kevCatalogJson('2026.06.01', '2026-06-01T12:00:00.000Z', [{ cveID: 'CVE-2026-7777' }]),
    source: 'kev.json',
  });
  const water = await rt.org('operator', { sectors: ['water'] });
  const energy = await rt.org('operator', { sectors: ['energy'] });
  await uploadSbom(rt.as(water), {
    asset: { name: 'pumps', criticality: 'low' },
    bytes: Buffer.from(cycloneDx([pypi('django', '4.2.1')])),
  });
  await uploadSbom(rt.as(water), {
    asset: { name: 'scada', criticality: 'high', internetFacing: true },
    bytes: Buffer.from(cycloneDx([pypi('django', '4.1.0')])),
  });
  await uploadSbom(rt.as(energy), {
    asset: { name: 'grid', criticality: 'high' },
    bytes: Buffer.from(cycloneDx([pypi('django', '4.2.0')])),
  });
  await upsertAdvisory(
    rt.system,
    osvRecord(ADVISORY, 'PyPI', 'django', [{ introduced: '4.0' }, { fixed: '4.2.2' }], {
      aliases: ['CVE-2026-7777'],
      summary: 'SQL injection in django',
    }),
    {
      source: 'osv-import',
      tlp: 'GREEN',
    },
  );
  await rt.runtime.jobs.drain();
  const link = async (who: TestUser) => {
    const [note] = (await listInbox(rt.as(who), { type: 'advisory.matched' }, {})).items;
    const url = (note?.data as AdvisoryNoticeData).remediation?.link as string;
    return new URL(url).searchParams.get('token') as string;
  };
  return { water, energy, link };
}
