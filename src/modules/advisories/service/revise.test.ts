import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { VERSION } from '../../../platform/version.js';
import { decideStatement, moveEmbargo, setStatement } from '../../cases/index.js';
import { csafProblems } from '../domain/csaf-validation.js';
import { embargoedCase } from '../test-support/case-scene.js';
import { advisoryDocument, generateAdvisory, getAdvisory, publishAdvisory } from './advisories.js';
import { providerSettings } from './settings.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describeEachDatabase('advisories follow the statements', (dialect) => {
  const get = useTestRuntime(dialect);

  it('refresh the draft, then publish the next signed revision when an approved statement changes after publication', async () => {
    const t = get();
    // The settings the server's consumer signs with: the provider's key in the data directory.
    const settings = providerSettings(t.runtime.config, VERSION);
    const scene = await embargoedCase(t);
    const coordinator = t.as(t.coordinatorAdmin);
    const draft = await generateAdvisory(coordinator, scene.opened.id, {}, settings);
    const draftSha = (await advisoryDocument(coordinator, draft.id, { kind: 'draft' })).sha256;

    // Under embargo a vendor's new statement, once approved, refreshes the draft its participants read.
    const investigating = await setStatement(t.as(scene.globex), scene.opened.id, {
      clusterId: scene.clusterId,
      status: 'under_investigation',
      product: { name: 'gizmo', version: '1.0' },
    });
    await t.runtime.jobs.drain();
    expect((await advisoryDocument(coordinator, draft.id, { kind: 'draft' })).sha256).toBe(draftSha);
    await decideStatement(coordinator, investigating.id, { approve: true, version: investigating.version });
    await t.runtime.jobs.drain();
    const refreshed = JSON.parse((await advisoryDocument(t.as(scene.acme), draft.id, { kind: 'draft' })).bytes.toString('utf8')) as Json;
    expect(refreshed['vulnerabilities'][0]['product_status']['under_investigation']).toHaveLength(1);
    expect(await getAdvisory(coordinator, draft.id)).toMatchObject({ status: 'draft', version: 0 });

    await moveEmbargo(coordinator, scene.opened.id, { action: 'end', reason: 'published' });
    t.clock.set(new Date('2026-06-03T09:00:00.000Z'));
    await publishAdvisory(coordinator, draft.id, settings);
    await t.runtime.jobs.drain();
    expect((await getAdvisory(coordinator, draft.id)).version).toBe(1);

    // The vendor's investigation ends: not affected. Approved, it is revision 2 with nobody publishing by hand.
    t.clock.set(new Date('2026-06-05T09:00:00.000Z'));
    const concluded = await setStatement(t.as(scene.globex), scene.opened.id, {
      clusterId: scene.clusterId,
      status: 'not_affected',
      product: { name: 'gizmo', version: '1.0' },
      justification: 'component_not_present',
    });
    await decideStatement(coordinator, concluded.id, { approve: true, version: concluded.version });
    await t.runtime.jobs.drain();
    const revised = await getAdvisory(t.as(scene.outsider), draft.id);
    expect(revised).toMatchObject({ status: 'published', version: 2, currentReleaseAt: '2026-06-05T09:00:00.000Z' });
    expect(revised.revisions.map((r) => r.number)).toEqual([1, 2]);
    const doc = JSON.parse((await advisoryDocument(t.as(scene.outsider), draft.id, { kind: 'published' })).bytes.toString('utf8')) as Json;
    expect(await csafProblems(doc)).toEqual([]);
    expect(doc['document']['tracking']).toMatchObject({ version: '2', initial_release_date: '2026-06-03T09:00:00.000Z' });
    expect(doc['vulnerabilities'][0]['product_status']['under_investigation']).toBeUndefined();
    expect(doc['vulnerabilities'][0]['product_status']['known_not_affected']).toHaveLength(2);

    // Running the consumer's work again changes nothing.
    await t.runtime.jobs.drain();
    expect((await getAdvisory(coordinator, draft.id)).version).toBe(2);
  });
});
