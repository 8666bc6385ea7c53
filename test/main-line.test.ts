import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { getCluster, submitDocument } from '../src/modules/intake/index.js';
import { nativeDocument, nativeFinding } from '../src/modules/intake/test-support/native.js';
import { uploadSbom } from '../src/modules/inventory/index.js';
import { getDecision, importKevCatalog } from '../src/modules/scoring/index.js';
import { recordAttempt } from '../src/modules/validation/index.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { describeWithData, sharedData } from '#test-support/shared-data.js';

const sbom = (purl: string) =>
  Buffer.from(
    JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      version: 1,
      components: [{ type: 'library', 'bom-ref': 'c0', name: 'shopfront', version: '2.3.1', purl }],
    }),
  );

/**
 * DESIGN §3 end to end: a report comes in, an independent agency reproduces it, and prioritization decides
 * with the real exposure — the operators whose inventories run the affected version — all through events.
 */
describeEachDatabase('the main line', (dialect) => {
  const get = useTestRuntime(dialect);

  it('goes from a scanner report to a validated cluster with an explained, exposure-aware priority', async () => {
    const { as, org, runtime, coordinatorAdmin } = get();
    const hospital = await org('operator', { sectors: ['healthcare_public_health'] });
    await uploadSbom(as(hospital), {
      asset: { name: 'patient-portal', sector: 'healthcare_public_health', criticality: 'high', internetFacing: true },
      bytes: sbom('pkg:pypi/shopfront@2.3.1'),
    });
    const advisory = {
      schema_version: '1.6.0',
      id: 'PYSEC-2026-77',
      modified: '2026-05-01T00:00:00Z',
      aliases: ['CVE-2026-7777'],
      affected: [
        {
          package: { ecosystem: 'PyPI', name: 'shopfront' },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '2.0' }, { fixed: '2.3.2' }] }],
        },
      ],
    };
    const researcher = await org('researcher');
    await submitDocument(as(researcher), { bytes: Buffer.from(JSON.stringify(advisory)) });

    const lab = await org('model_developer');
    const report = await submitDocument(as(lab), {
      bytes: nativeDocument([nativeFinding({ aliases: ['CVE-2026-7777'], cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' })]),
    });
    const clusterId = report.findings[0]!.clusterId;
    await runtime.jobs.drain();

    // CVSS 9.8: the quorum is two independent confirmations.
    for (const agency of [await org('agency'), await org('agency')]) {
      await recordAttempt(as(agency), clusterId, {
        artifact: 'pkg:pypi/shopfront',
        affectedBuild: '2.3.1',
        fixedBuild: '2.3.2',
        environment: 'sandbox',
        reproducedOnAffected: true,
        reproducedOnFixed: false,
        assessment: { automatable: 'yes', technicalImpact: 'total' },
      });
    }
    await runtime.jobs.drain();

    expect((await getCluster(as(coordinatorAdmin), clusterId)).state).toBe('valid');
    const decision = await getDecision(as(coordinatorAdmin), clusterId);
    // CISA coordinator tree (cisa_coordinator_2_0_3, row 11): no exploitation, automatable, total impact,
    // and high mission & well-being from a high-criticality hospital asset → attend.
    expect(String(decision.outcome).toLowerCase()).toBe('attend');
    expect(decision.tieBreak.exposureCount).toBe(1);
    const text = JSON.stringify(decision);
    expect(text).toContain('CVE-2026-7777');
    expect(text).toContain('healthcare_public_health');
    expect(decision.cvss.map((c: { vector: string }) => c.vector)).toContain('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
  });
});

describeWithData('a cluster aliased to a KEV CVE', 'kev', () => {
  describeEachDatabase('with the real catalog imported', (dialect) => {
    const get = useTestRuntime(dialect);

    it('is prioritized with exploitation active, citing the catalog entry', async () => {
      const { as, org, runtime, system, coordinatorAdmin } = get();
      const catalog = JSON.parse(readFileSync(sharedData('kev/known_exploited_vulnerabilities.json'), 'utf8')) as {
        catalogVersion: string;
        vulnerabilities: { cveID: string }[];
      };
      await importKevCatalog(system, { data: readFileSync(sharedData('kev/known_exploited_vulnerabilities.json')), source: 'test' });
      const kevCve = catalog.vulnerabilities[0]!.cveID;
      const lab = await org('model_developer');
      const agency = await org('agency');
      // Shared with the agency that will reproduce it (TLP:AMBER, a named recipient organisation).
      const report = await submitDocument(as(lab), {
        bytes: nativeDocument([nativeFinding({ aliases: [kevCve] })]),
        recipients: { orgIds: [agency.orgId] },
      });
      const clusterId = report.findings[0]!.clusterId;
      await runtime.jobs.drain();
      await recordAttempt(as(agency), clusterId, {
        artifact: 'pkg:pypi/shopfront',
        affectedBuild: '2.3.1',
        fixedBuild: '2.3.2',
        environment: 'sandbox',
        reproducedOnAffected: true,
        reproducedOnFixed: false,
      });
      await runtime.jobs.drain();
      const decision = await getDecision(as(coordinatorAdmin), clusterId);
      const exploitation = decision.explanation.inputs.exploitation;
      expect(exploitation.value).toBe('active');
      expect(JSON.stringify(exploitation)).toContain(kevCve);
      expect(JSON.stringify(exploitation)).toContain(catalog.catalogVersion);
    });
  });
});
