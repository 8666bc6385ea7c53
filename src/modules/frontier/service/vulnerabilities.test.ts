import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { NotAllowedError, NotFoundError } from '../../../platform/errors.js';
import { eventsAbout } from '../../../platform/events/index.js';
import { sha256Hex } from '../../../platform/hash.js';
import { frontierScene, grantAndAcknowledge } from '../test-support/scene.js';
import { reviewReport } from './report.js';
import { getVulnerability, listVulnerabilities, reportVulnerability } from './vulnerabilities.js';

const finding = {
  title: 'Heap overflow in the chunked parser',
  description: 'A chunk size above 2^31 overflows.',
  target: { purl: 'pkg:npm/openwire-http@2.4.1' },
  cwe: ['122'],
  severity: 'high',
  cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  evidence: [{ name: 'poc.txt', mediaType: 'text/plain', contentBase64: Buffer.from('printf 80000000').toString('base64') }],
};

describeEachDatabase('frontier model-found vulnerabilities', (dialect) => {
  const get = useTestRuntime(dialect);

  it('records it at TLP:RED with provenance and hands everything intake needs to the frontier.finding.reported event', async () => {
    const t = get();
    const scene = await frontierScene(t);
    await grantAndAcknowledge(t, scene);
    const vuln = await reportVulnerability(t.as(scene.agency), scene.review.id, finding);
    const sha = sha256Hex('printf 80000000');
    expect(vuln).toMatchObject({
      tlp: 'RED',
      status: 'reported',
      cwe: ['CWE-122'],
      reportingOrgId: scene.agency.orgId,
      evidence: [{ sha256: sha, name: 'poc.txt', size: 15 }],
    });
    expect(vuln.provenance).toEqual({
      model: { name: 'Atlas', version: '3.0' },
      modelId: scene.model.id,
      reviewId: scene.review.id,
      aiGenerated: true,
    });
    expect((await t.runtime.blobs.get(sha))?.toString()).toBe('printf 80000000');
    const [event] = await eventsAbout(t.runtime.db.kysely, vuln.id);
    expect(event).toMatchObject({
      type: 'frontier.finding.reported',
      orgId: scene.agency.orgId,
      payload: {
        findingId: vuln.id,
        reviewId: scene.review.id,
        modelId: scene.model.id,
        model: { name: 'Atlas', version: '3.0', developerOrgId: scene.lab.orgId },
        reportingOrgId: scene.agency.orgId,
        tlp: 'RED',
        recipients: { orgIds: [], userIds: [scene.lab.userId] },
        title: finding.title,
        target: finding.target,
        cwe: ['CWE-122'],
        severity: 'high',
        cvssVector: finding.cvssVector,
        evidence: [{ sha256: sha }],
        native: {
          schema: 'clearinghouse/findings@1',
          findings: [{ id: vuln.id, target: finding.target, cwe: ['CWE-122'], evidence: { proofOfConcept: [{ sha256: sha }] } }],
        },
      },
    });
  });

  it('shows a RED finding to its reporter, the named developer contact and coordinator staff only; the others see a count', async () => {
    const t = get();
    const scene = await frontierScene(t);
    await grantAndAcknowledge(t, scene);
    const colleague = await t.user(scene.lab.orgId, 'analyst');
    const vuln = await reportVulnerability(t.as(scene.agency), scene.review.id, finding);
    expect((await getVulnerability(t.as(scene.lab), vuln.id)).id).toBe(vuln.id);
    await expect(getVulnerability(t.as(colleague), vuln.id)).rejects.toBeInstanceOf(NotFoundError);
    // The coordinator's analysts and admins read every record, whatever its TLP; its viewers do not read RED.
    expect((await getVulnerability(t.as(t.coordinatorAdmin), vuln.id)).id).toBe(vuln.id);
    await expect(getVulnerability(t.as(await t.user(t.coordinatorAdmin.orgId, 'viewer')), vuln.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await listVulnerabilities(t.as(colleague), scene.review.id, {})).items).toEqual([]);
    expect((await reviewReport(t.as(colleague), scene.review.id)).vulnerabilities).toMatchObject({ total: 1, withheld: 1, visible: [] });
    const amber = await reportVulnerability(t.as(scene.lab), scene.review.id, { ...finding, tlp: 'AMBER+STRICT' });
    expect((await getVulnerability(t.as(colleague), amber.id)).tlp).toBe('AMBER+STRICT');
    expect((await getVulnerability(t.as(t.coordinatorAdmin), amber.id)).id).toBe(amber.id);
    await expect(reportVulnerability(t.as(await t.org('vendor')), scene.review.id, finding)).rejects.toBeInstanceOf(NotFoundError);
    await expect(reportVulnerability(t.as(await t.user(scene.agency.orgId, 'viewer')), scene.review.id, finding)).rejects.toBeInstanceOf(
      NotAllowedError,
    );
  });
});
