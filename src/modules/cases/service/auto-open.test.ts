import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime, type TestRuntime } from '#test-support/runtime.js';
import { DAY } from '../../../platform/clock.js';
import { recordClusterState } from '../../intake/index.js';
import { getDecision, importKevCatalog, prioritize } from '../../scoring/index.js';
import { kevCatalogJson, subject } from '../../scoring/test-support/feeds.js';
import { acceptedCluster } from '../test-support/cases.js';
import { getDisclosurePolicy, updateDisclosurePolicy } from './disclosure-policy.js';
import { openCaseByPolicy } from './auto-open.js';
import { caseTimeline, getCase, listCases, openCase } from './cases.js';

const CVE = 'CVE-2026-2000';

/** Every case, in detail, as the coordinator reads it. */
async function casesOpened(t: TestRuntime) {
  const coordinator = t.as(t.coordinatorAdmin);
  return Promise.all((await listCases(coordinator, {})).items.map((c) => getCase(coordinator, c.id)));
}

describeEachDatabase('cases opened by the disclosure policy', (dialect) => {
  const get = useTestRuntime(dialect);

  it('opens a case when a KEV refresh raises an accepted cluster to the policy priority, once, whatever triggers it again', async () => {
    const t = get();
    const researcher = await t.org('researcher');
    const clusterId = await acceptedCluster(t, researcher, { aliases: [CVE] });
    // Decided at validation: exposed, automatable, total impact, but no exploitation known yet.
    await prioritize(t.system, subject(clusterId, { cveIds: [CVE] }));
    await t.runtime.jobs.drain();
    expect((await getDecision(t.system, clusterId)).outcome).toBe('attend');
    expect(await casesOpened(t)).toEqual([]);

    t.clock.advance(DAY);
    await importKevCatalog(t.system, {
      data: kevCatalogJson('2026.06.03', '2026-06-03T12:00:00.000Z', [{ cveID: CVE }]),
      source: 'kev.json',
    });
    await t.runtime.jobs.drain();
    expect((await getDecision(t.system, clusterId)).outcome).toBe('act');
    const opened = await casesOpened(t);
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ openedBy: 'policy', exploited: true, vulnerabilities: [expect.objectContaining({ clusterId })] });
    const steps = await caseTimeline(t.as(t.coordinatorAdmin), opened[0]!.id);
    expect(steps[0]).toMatchObject({ kind: 'case.opened', data: { openedBy: 'policy' } });

    // Triggered again (a later KEV release, a repeated call): still the one case.
    t.clock.advance(DAY);
    await importKevCatalog(t.system, {
      data: kevCatalogJson('2026.06.04', '2026-06-04T12:00:00.000Z', [{ cveID: CVE, knownRansomwareCampaignUse: 'Known' }]),
      source: 'kev.json',
    });
    await t.runtime.jobs.drain();
    expect(await openCaseByPolicy(t.system, clusterId)).toEqual({ opened: false, reason: 'in-case' });
    expect(await casesOpened(t)).toHaveLength(1);
  });

  it('waits for the cluster to be accepted, and for a policy that opens cases at all', async () => {
    const t = get();
    const researcher = await t.org('researcher');
    const clusterId = await acceptedCluster(t, researcher);
    await recordClusterState(t.runtime.db.kysely, clusterId, 'valid', t.clock.now().toISOString());
    expect(await openCaseByPolicy(t.system, clusterId)).toEqual({ opened: false, reason: 'not-prioritized' });
    await prioritize(t.system, subject(clusterId, { validation: { ...subject(clusterId).validation!, activeExploitation: true } }));
    expect((await getDecision(t.system, clusterId)).outcome).toBe('act');
    expect(await openCaseByPolicy(t.system, clusterId)).toEqual({ opened: false, reason: 'not-accepted' });

    const read = await getDisclosurePolicy(t.as(t.coordinatorAdmin));
    await updateDisclosurePolicy(t.as(t.coordinatorAdmin), { policy: { ...read.policy, autoOpenAtPriority: null }, version: read.version });
    await recordClusterState(t.runtime.db.kysely, clusterId, 'accepted', t.clock.now().toISOString());
    expect(await openCaseByPolicy(t.system, clusterId)).toEqual({ opened: false, reason: 'policy-off' });

    await updateDisclosurePolicy(t.as(t.coordinatorAdmin), {
      policy: { ...read.policy, autoOpenAtPriority: 'act' },
      version: read.version + 1,
    });
    const opened = await openCaseByPolicy(t.system, clusterId);
    expect(opened).toMatchObject({ opened: true });
    // Actively exploited: the policy's shorter embargo will apply.
    expect((await casesOpened(t))[0]).toMatchObject({ exploited: true, openedBy: 'policy' });
  });

  it('opens one case when many triggers race, and the case numbers keep no gap', async () => {
    const t = get();
    const researcher = await t.org('researcher');
    const clusterId = await acceptedCluster(t, researcher);
    await prioritize(t.system, subject(clusterId, { validation: { ...subject(clusterId).validation!, activeExploitation: true } }));
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => openCaseByPolicy(t.system, clusterId)));
    expect(outcomes.filter((o) => o.opened)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.opened)).toEqual(Array.from({ length: 5 }, () => ({ opened: false, reason: 'in-case' })));
    const cases = await casesOpened(t);
    expect(cases).toHaveLength(1);
    const other = await openCase(t.as(t.coordinatorAdmin), { clusterIds: [await acceptedCluster(t, researcher)] });
    // The year's second number: no opening that lost the race consumed one.
    expect(cases[0]!.number).toBe('CH-2026-0001');
    expect(other.number).toBe('CH-2026-0002');
  });
});
