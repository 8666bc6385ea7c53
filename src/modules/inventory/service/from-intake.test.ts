import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { describeWithData, sharedData } from '#test-support/shared-data.js';
import { submitDocument } from '../../intake/index.js';
import { cycloneDx, pypi } from '../test-support/fixtures.js';
import { exposureForAdvisory, exposureForOperator } from './exposure.js';
import { uploadSbom } from './sboms.js';

const osv = (id: string, aliases: string[], fixed: string) =>
  Buffer.from(
    JSON.stringify({
      schema_version: '1.6.0',
      id,
      modified: '2026-05-01T00:00:00Z',
      aliases,
      affected: [
        { package: { ecosystem: 'PyPI', name: 'Shop_Front' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '2.0' }, { fixed }] }] },
      ],
    }),
  );

/** The main line: an advisory submitted to intake reaches the operators whose inventories run it. */
describeEachDatabase('advisories from intake', (dialect) => {
  const get = useTestRuntime(dialect);

  it('are matched against stored inventories once intake has processed them', async () => {
    const { as, org, runtime, coordinatorAdmin } = get();
    const water = await org('operator', { sectors: ['water'] });
    const bank = await org('operator', { sectors: ['financial_services'] });
    await uploadSbom(as(water), {
      asset: { name: 'scada-hmi', sector: 'water', criticality: 'high' },
      bytes: Buffer.from(cycloneDx([pypi('shop-front', '2.3.1')])),
    });
    await uploadSbom(as(bank), {
      asset: { name: 'web', sector: 'financial_services' },
      bytes: Buffer.from(cycloneDx([pypi('shop-front', '2.4.0')])),
    });

    const researcher = await org('researcher');
    await submitDocument(as(researcher), { bytes: osv('PYSEC-2026-11', ['CVE-2026-1111'], '2.4.0') });
    await runtime.jobs.drain();

    const exposure = await exposureForAdvisory(as(coordinatorAdmin), 'CVE-2026-1111');
    expect(exposure).toMatchObject({ known: true, operators: 1, assets: 1 });
    expect(exposure.sectors.map((s) => s.sector)).toEqual(['water']);
    expect((await exposureForOperator(as(water), water.orgId)).items.map((a) => a.advisory.id)).toEqual(['PYSEC-2026-11']);
    expect((await exposureForOperator(as(bank), bank.orgId)).items).toEqual([]);

    // A revised record (fixed later) brings the bank in: re-submission updates the advisory.
    await submitDocument(as(researcher), {
      bytes: Buffer.from(osv('PYSEC-2026-11', ['CVE-2026-1111'], '2.5.0').toString().replace('2026-05-01', '2026-05-02')),
    });
    await runtime.jobs.drain();
    expect((await exposureForAdvisory(as(coordinatorAdmin), 'CVE-2026-1111')).operators).toBe(2);
  });
});

describeWithData('a CVE 5 record from the Go CNA through intake', 'cve/go-cna-v5', () => {
  const get = useTestRuntime('sqlite');

  it('matches the Go module versions below its lessThan bound, and not the fixed one', async () => {
    const { as, org, runtime, coordinatorAdmin } = get();
    const op = await org('operator', { sectors: ['energy'] });
    const component = (version: string) => ({ name: 'gopkg.in/yaml.v2', version, purl: `pkg:golang/gopkg.in/yaml.v2@${version}` });
    await uploadSbom(as(op), { asset: { name: 'old', sector: 'energy' }, bytes: Buffer.from(cycloneDx([component('v2.2.3')])) });
    await uploadSbom(as(op), { asset: { name: 'new', sector: 'energy' }, bytes: Buffer.from(cycloneDx([component('v2.2.4')])) });
    // GO-2022-0956: CVE-2022-3064, gopkg.in/yaml.v2 affected from 0 to below 2.2.4 (read from the file).
    const record = JSON.parse(readFileSync(sharedData('cve/go-cna-v5/data/cve/v5/GO-2022-0956.json'), 'utf8')) as {
      cveMetadata: { cveId: string };
      containers: { cna: { affected: { packageName: string; versions: { lessThan?: string }[] }[] } };
    };
    expect(record.containers.cna.affected[0]?.versions[0]?.lessThan).toBe('2.2.4');
    await submitDocument(as(await org('researcher')), { bytes: readFileSync(sharedData('cve/go-cna-v5/data/cve/v5/GO-2022-0956.json')) });
    await runtime.jobs.drain();
    const exposure = await exposureForAdvisory(as(coordinatorAdmin), record.cveMetadata.cveId);
    expect(exposure).toMatchObject({ known: true, operators: 1, assets: 1 });
  });
});
