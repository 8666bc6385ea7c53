import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { ConflictError, type InputError, NotAllowedError, NotFoundError } from '../../../platform/errors.js';
import { submitDocument } from '../../intake/index.js';
import { vendorCsafVex } from '#test-support/vex-documents.js';
import { acceptedCluster } from '../test-support/cases.js';
import { caseWithVendors } from '../test-support/scene.js';
import { openCase } from './cases.js';
import { moveEmbargo } from './embargo.js';
import { addParticipant } from './participants.js';
import { decideStatement, listStatements, setStatement } from './statements.js';
import { refusal } from '../test-support/refusal.js';

const notAffected = {
  status: 'not_affected',
  product: { purl: 'pkg:npm/%40acme/widget@2.4.0' },
  justification: 'vulnerable_code_not_in_execute_path',
  impactStatement: 'The archive code is never called.',
};

describeEachDatabase('case statements', (dialect) => {
  const get = useTestRuntime(dialect);

  it('are each vendor’s own until approved and shared, or until the case is disclosed', async () => {
    const t = get();
    const { vendors, opened, clusterId, researcher } = await caseWithVendors(t, 2);
    const [acme, other] = vendors as [(typeof vendors)[0], (typeof vendors)[0]];
    const mine = await setStatement(t.as(acme), opened.id, { clusterId, ...notAffected });
    expect(mine).toMatchObject({ vendorOrgId: acme.orgId, status: 'not_affected', approval: 'pending', version: 1, source: 'typed' });
    // The same statement again changes nothing; a different one is the next version, pending again.
    expect((await setStatement(t.as(acme), opened.id, { clusterId, ...notAffected })).version).toBe(1);
    const shared = await setStatement(t.as(acme), opened.id, { clusterId, ...notAffected, shareBeforePublication: true });
    expect(shared).toMatchObject({ id: mine.id, version: 2, approval: 'pending', shareBeforePublication: true });
    const fixed = await setStatement(t.as(other), opened.id, {
      clusterId,
      status: 'fixed',
      product: { purl: 'pkg:npm/other-widget@3.0.0' },
      fixedVersions: ['3.0.1'],
      fixUrl: 'https://other.example/releases/3.0.1',
    });

    const seenBy = async (who: typeof acme) => (await listStatements(t.as(who), opened.id)).map((s) => s.id).sort();
    expect(await seenBy(acme)).toEqual([mine.id]);
    expect(await seenBy(other)).toEqual([fixed.id]);
    expect(await seenBy(researcher)).toEqual([]);
    expect(await seenBy(t.coordinatorAdmin)).toEqual([mine.id, fixed.id].sort());

    // Deciding an old version is a conflict; the current one is approved once.
    expect(await refusal(decideStatement(t.as(t.coordinatorAdmin), mine.id, { approve: true, version: 1 }))).toMatchObject({
      code: 'statement-version-changed',
    });
    expect(await refusal(decideStatement(t.as(acme), mine.id, { approve: true, version: 2 }))).toBeInstanceOf(NotAllowedError);
    expect(await refusal(decideStatement(t.as(other), mine.id, { approve: true, version: 2 }))).toBeInstanceOf(NotFoundError);
    await decideStatement(t.as(t.coordinatorAdmin), mine.id, { approve: true, version: 2 });
    await decideStatement(t.as(t.coordinatorAdmin), fixed.id, { approve: true, version: 1 });
    expect(await refusal(decideStatement(t.as(t.coordinatorAdmin), fixed.id, { approve: false, version: 1 }))).toBeInstanceOf(
      ConflictError,
    );
    // Approved and shared: everyone taking part reads acme's; the other's was not shared before publication.
    expect(await seenBy(other)).toEqual([mine.id, fixed.id].sort());
    expect(await seenBy(researcher)).toEqual([mine.id]);
    await moveEmbargo(t.as(t.coordinatorAdmin), opened.id, { action: 'end', reason: 'published' });
    expect(await seenBy(researcher)).toEqual([mine.id, fixed.id].sort());
  });

  it('are refused naming the field, for vendors not taking part and vulnerabilities not of the case', async () => {
    const t = get();
    const { vendors, opened, clusterId } = await caseWithVendors(t, 1);
    const acme = vendors[0]!;
    const bad = (await refusal(setStatement(t.as(acme), opened.id, { clusterId, status: 'fixed', product: {} }))) as InputError;
    expect(bad.issues.map((i) => i.pointer)).toEqual(['/product/name']);
    const wrongCluster = (await refusal(setStatement(t.as(acme), opened.id, { clusterId: 'clu_other', ...notAffected }))) as InputError;
    expect(wrongCluster.issues.map((i) => i.pointer)).toEqual(['/clusterId']);
    const coordinatorForResearcher = (await refusal(
      setStatement(t.as(t.coordinatorAdmin), opened.id, { clusterId, vendorOrgId: t.coordinatorAdmin.orgId, ...notAffected }),
    )) as InputError;
    expect(coordinatorForResearcher.issues.map((i) => i.pointer)).toEqual(['/vendorOrgId']);
    const outsider = await t.org('vendor');
    expect(await refusal(setStatement(t.as(outsider), opened.id, { clusterId, ...notAffected }))).toBeInstanceOf(NotFoundError);
    const viewer = await t.user(acme.orgId, 'viewer');
    expect(await refusal(setStatement(t.as(viewer), opened.id, { clusterId, ...notAffected }))).toBeInstanceOf(NotAllowedError);
  });

  it('come from the CSAF VEX document a vendor submits, for its cases whose vulnerabilities it names', async () => {
    const t = get();
    // The vendor reads the report that names CVE-2026-4242 (GREEN): the id is one it may match on.
    const { vendors, opened } = await caseWithVendors(t, 1, { reportTlp: 'GREEN' });
    const acme = vendors[0]!;
    const vex = vendorCsafVex();
    await submitDocument(t.as(acme), { bytes: Buffer.from(JSON.stringify(vex)), tlp: 'AMBER', recipients: {} });
    await t.runtime.jobs.drain();
    const statements = await listStatements(t.as(acme), opened.id);
    expect(statements).toEqual([
      expect.objectContaining({
        source: 'csaf_vex',
        status: 'not_affected',
        justification: 'vulnerable_code_not_in_execute_path',
        approval: 'pending',
        product: expect.objectContaining({ purl: 'pkg:npm/%40acme/widget@2.4.0' }),
      }),
    ]);
  });

  it('match a VEX document only on the ids the vendor organisation may read: a TLP:RED-only alias matches nothing', async () => {
    const t = get();
    const researcher = await t.org('researcher');
    const secretive = await t.org('researcher');
    const acme = await t.org('vendor');
    const acmeAnalyst = await t.user(acme.orgId, 'analyst');
    // A RED report naming its own CVE id, named to one analyst of the vendor; an AMBER duplicate shared with the vendor.
    const clusterId = await acceptedCluster(t, secretive, {
      tlp: 'RED',
      recipients: { userIds: [acmeAnalyst.userId] },
      aliases: ['CVE-2026-31000', 'CVE-2026-31999'],
    });
    expect(await acceptedCluster(t, researcher, { recipients: { orgIds: [acme.orgId] }, aliases: ['CVE-2026-31000'] })).toBe(clusterId);
    const opened = await openCase(t.as(t.coordinatorAdmin), { clusterIds: [clusterId] });
    await addParticipant(t.as(t.coordinatorAdmin), opened.id, { orgId: acme.orgId });
    const vexNaming = (cve: string) => {
      const vex = vendorCsafVex() as { document: { tracking: { id: string } }; vulnerabilities: Record<string, unknown>[] };
      vex.document.tracking.id = `ACME-VEX-${cve}`;
      vex.vulnerabilities = vex.vulnerabilities.map((v) => ({ ...v, cve }));
      return Buffer.from(JSON.stringify(vex));
    };
    // Even the analyst the RED report names: what the statement shows, the whole organisation reads.
    await submitDocument(t.as(acmeAnalyst), { bytes: vexNaming('CVE-2026-31999'), tlp: 'AMBER', recipients: {} });
    await t.runtime.jobs.drain();
    expect(await listStatements(t.as(t.coordinatorAdmin), opened.id)).toEqual([]);
    await submitDocument(t.as(acme), { bytes: vexNaming('CVE-2026-31000'), tlp: 'AMBER', recipients: {} });
    await t.runtime.jobs.drain();
    expect((await listStatements(t.as(t.coordinatorAdmin), opened.id)).map((s) => [s.vendorOrgId, s.clusterId, s.source])).toEqual([
      [acme.orgId, clusterId, 'csaf_vex'],
    ]);
  });
});
