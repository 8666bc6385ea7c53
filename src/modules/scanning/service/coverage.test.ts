import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { NotAllowedError } from '../../../platform/errors.js';
import { submitDocument } from '../../intake/index.js';
import { nativeDocument, nativeFinding } from '../../intake/test-support/native.js';
import { uploadSbom } from '../../inventory/index.js';
import { cycloneDx } from '../../inventory/test-support/fixtures.js';
import { campaignInput } from '../test-support/campaigns.js';
import { registerCampaign } from './campaigns.js';
import { claimLease } from './leases.js';
import { linkSubmissionFindings, scanGaps } from './coverage.js';
import { targetCoverage, targetStatus } from './status.js';

describeEachDatabase('scan coverage', (dialect) => {
  const get = useTestRuntime(dialect);

  it('tells a scanner before it starts who holds the target and how many clusters it may see there', async () => {
    const { as, org, coordinatorAdmin } = get();
    const lab = await org('model_developer');
    const nsa = await org('agency');
    await submitDocument(as(lab), {
      bytes: nativeDocument([
        nativeFinding(),
        nativeFinding({ title: 'XSS', cwe: ['CWE-79'], location: { path: 'shopfront/profile.py' } }),
      ]),
    });
    await claimLease(as(lab), { target: 'pkg:pypi/shopfront', technique: 'fuzzing', seconds: 900 });
    const forLab = await targetStatus(as(lab), 'pkg:pypi/Shopfront@2.3.1');
    expect(forLab).toMatchObject({ key: 'pkg:pypi/shopfront', clusters: { validated: 0, open: 2 } });
    expect(forLab.leases).toMatchObject([{ technique: 'fuzzing', expiresAt: '2026-06-02T12:15:00.000Z', holder: { orgId: lab.orgId } }]);
    // Another scanner: the lease and its expiry, not who holds it; no count of clusters it may not see.
    const forNsa = await targetStatus(as(nsa), 'pkg:pypi/shopfront');
    expect(forNsa.clusters).toEqual({ validated: 0, open: 0 });
    expect(forNsa.leases).toEqual([
      {
        target: 'pkg:pypi/shopfront',
        technique: 'fuzzing',
        expiresAt: '2026-06-02T12:15:00.000Z',
        holder: { orgId: null, orgName: null, campaignId: null },
        leaseId: null,
      },
    ]);
    expect((await targetStatus(as(coordinatorAdmin), 'pkg:pypi/shopfront')).clusters).toEqual({ validated: 0, open: 2 });
    expect((await targetStatus(as(nsa), '10.0.0.0/8')).clusters).toBeNull();
  });

  it('links findings to the campaign that produced them, only for its own organisation, and shows what each found', async () => {
    const { as, org, clock, system } = get();
    const nsa = await org('agency');
    const cisa = await org('agency');
    const { campaign } = await registerCampaign(as(nsa), campaignInput({ scope: [{ target: 'pkg:pypi/shopfront' }], tlp: 'GREEN' }));
    const hidden = await registerCampaign(as(cisa), campaignInput({ scope: [{ target: 'pkg:pypi/shopfront' }] }));
    clock.advance(60_000);
    const found = await submitDocument(as(nsa), { bytes: nativeDocument([nativeFinding()]), campaignId: campaign.id });
    // CISA names NSA's campaign: nothing is linked (a campaign is its owner's to claim).
    const borrowed = await submitDocument(as(cisa), {
      bytes: nativeDocument([
        nativeFinding({ title: 'Path traversal', cwe: ['CWE-22'], location: { path: 'shopfront/files.py', function: 'download' } }),
      ]),
      campaignId: campaign.id,
    });
    expect(await linkSubmissionFindings(system, system.db.kysely, found.submission.id)).toBe(1);
    expect(await linkSubmissionFindings(system, system.db.kysely, found.submission.id)).toBe(0);
    expect(await linkSubmissionFindings(system, system.db.kysely, borrowed.submission.id)).toBe(0);
    const forCisa = await targetCoverage(as(cisa), 'pkg:pypi/shopfront');
    expect(forCisa.scans.map((s) => [s.campaign?.id ?? null, s.found])).toEqual([
      [campaign.id, []],
      [hidden.campaign.id, []],
    ]);
    const forNsa = await targetCoverage(as(nsa), 'pkg:pypi/shopfront');
    expect(forNsa.scans.map((s) => [s.campaign?.id ?? null, s.found])).toEqual([
      [campaign.id, [found.findings[0]?.clusterId]],
      [null, null],
    ]);
  });

  it('lists software operators run that nobody scanned lately, most widely run first, for the coordinator and each operator', async () => {
    const { as, org, coordinatorAdmin } = get();
    const grid = await org('operator', { sectors: ['energy'] });
    const water = await org('operator', { sectors: ['water'] });
    const nsa = await org('agency');
    const sbom = (names: string[]) => Buffer.from(cycloneDx(names.map((n) => ({ name: n, version: '1.0.0', purl: `pkg:npm/${n}@1.0.0` }))));
    await uploadSbom(as(grid), { asset: { name: 'EMS', sector: 'energy' }, bytes: sbom(['left-pad', 'lodash', 'express']) });
    await uploadSbom(as(water), { asset: { name: 'SCADA', sector: 'water' }, bytes: sbom(['lodash', 'express']) });
    await registerCampaign(as(nsa), campaignInput({ scope: [{ target: 'pkg:npm/express' }] }));
    // The campaign is active from now: express is covered; lodash (two operators, two sectors) leads.
    const gaps = await scanGaps(as(coordinatorAdmin), { days: 30 });
    expect(gaps.items).toEqual([
      { purl: 'pkg:npm/lodash', ecosystem: 'npm', name: 'lodash', operators: 2, sectors: ['energy', 'water'] },
      { purl: 'pkg:npm/left-pad', ecosystem: 'npm', name: 'left-pad', operators: 1, sectors: ['energy'] },
    ]);
    expect((await scanGaps(as(water), { days: 30 })).items).toEqual([
      { purl: 'pkg:npm/lodash', ecosystem: 'npm', name: 'lodash', operators: 1, sectors: ['water'] },
    ]);
    await expect(scanGaps(as(nsa))).rejects.toBeInstanceOf(NotAllowedError);
  });
});
