import { expect, it } from 'vitest';
import { seedFrontierDemo } from '../src/modules/frontier/index.js';
import { getCluster, listClusters } from '../src/modules/intake/index.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';

/** A vulnerability found by a model under review enters intake and follows the normal path, at TLP:RED. */
describeEachDatabase('model-found vulnerabilities', (dialect) => {
  const get = useTestRuntime(dialect);

  it('are submitted to intake for the reporting agency, visible only to the named, and submitted once', async () => {
    const t = get();
    const lab = await t.org('model_developer');
    const cisa = await t.org('agency');
    const nsa = await t.org('agency');
    const coop = await t.org('operator', { sectors: ['energy'] });
    await seedFrontierDemo(t.system, { developerOrgId: lab.orgId, agencyOrgIds: [cisa.orgId, nsa.orgId], partnerOrgId: coop.orgId });
    await t.runtime.jobs.drain();

    const all = (await listClusters(t.system, {})).items;
    expect(all).toHaveLength(1);
    const cluster = await getCluster(t.system, all[0]!.id);
    expect(cluster.findings).toHaveLength(1);
    expect(cluster.findings[0]).toMatchObject({ tlp: 'RED', aiGenerated: true });
    expect(cluster.findings[0]?.model).not.toBeNull();
    // TLP:RED: the operator and the other lab see nothing of it.
    expect((await listClusters(t.as(coop), {})).items).toEqual([]);
    const otherLab = await t.org('model_developer');
    expect((await listClusters(t.as(otherLab), {})).items).toEqual([]);
    // Delivering the event again submits nothing new.
    const submissions = async () =>
      Number(
        (
          await t.runtime.db.kysely
            .selectFrom('intake_submission')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await submissions();
    await t.runtime.db.kysely
      .updateTable('platform_job')
      .set({ status: 'queued', attempts: 0 })
      .where('kind', '=', 'event:intake.from-frontier')
      .execute();
    await t.runtime.jobs.drain();
    expect(await submissions()).toBe(before);
  });
});
